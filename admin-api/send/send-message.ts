import type { Readable } from 'node:stream';
import { ApiError, notFound } from '../../gateway/index.js';
import type { CheckRecipient } from '../../domain/verdict.js';
import type { User } from '../../domain/user.js';
import type { ApiDeps } from '../deps.js';
import { composeMessage } from './compose.js';
import { smtpErrorToApi } from './smtp-error-status.js';

const MAX_RECIPIENTS = 100;

export interface OutgoingMessage {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string;
  html?: string;
  /** Contact groups whose members are added to To. */
  groupIds?: string[];
  attachments?: Array<{ filename: string; contentType: string; content: Readable | Buffer }>;
  inReplyTo?: string | null;
  references?: string[];
  /** The web app's drafts carry the signature in their text already; the plain send route adds it. */
  addSignature: boolean;
}

/**
 * Composes and sends: through the MSA when wired (DKIM, remote recipients queued, Sent copy),
 * else local delivery only. Resolves only after the MSA (or the local store) accepted it.
 */
export async function sendMessage(deps: ApiDeps, user: User, msg: OutgoingMessage, ip: string): Promise<{ messageId: string; delivered: number; queued: number }> {
  const to = [...msg.to];
  for (const gid of msg.groupIds ?? []) {
    const g = await deps.accounts.getGroup(user.id, gid);
    if (!g) throw notFound('group');
    for (const cid of g.contactIds) {
      const c = await deps.accounts.getContact(user.id, cid);
      if (c) to.push(c.email);
    }
  }
  const all = [...new Set([...to, ...msg.cc, ...msg.bcc].map((a) => a.toLowerCase()))];
  if (all.length === 0) throw new ApiError(400, 'no_recipients', 'give at least one recipient');
  if (all.length > MAX_RECIPIENTS) throw new ApiError(400, 'too_many_recipients', `at most ${MAX_RECIPIENTS} recipients`);

  const local: CheckRecipient[] = [];
  const remote: string[] = [];
  const unknown: string[] = [];
  for (const address of all) {
    const hit = await deps.users.resolveAddress(address);
    if (hit) local.push({ address, userId: hit.userId });
    else if (await deps.users.isLocalDomain(address.slice(address.lastIndexOf('@') + 1))) unknown.push(address);
    else remote.push(address);
  }
  if (unknown.length) throw new ApiError(422, 'unknown_recipient', `no such local user: ${unknown.join(', ')}`, { details: { recipients: unknown } });
  if (remote.length && !deps.submit) {
    throw new ApiError(422, 'remote_delivery_unavailable', 'sending to other domains is not available on this server', { details: { recipients: remote } });
  }

  const prefs = await deps.accounts.getPreferences(user.id);
  const { raw, messageId } = await composeMessage({
    sender: user,
    to: [...new Set(to)],
    cc: msg.cc,
    bcc: msg.bcc,
    keepBcc: deps.submit !== undefined,
    subject: msg.subject,
    text: msg.text,
    ...(msg.html !== undefined ? { html: msg.html } : {}),
    signature: msg.addSignature ? prefs.signature : '',
    domain: user.address.slice(user.address.lastIndexOf('@') + 1),
    ...(msg.attachments ? { attachments: msg.attachments } : {}),
    ...(msg.inReplyTo ? { inReplyTo: msg.inReplyTo } : {}),
    ...(msg.references ? { references: msg.references } : {}),
  });
  if (deps.submit) {
    const envelope = { mailFrom: user.address, rcptTo: all };
    let out;
    try {
      out = await deps.submit({ user: { id: user.id, address: user.address }, envelope, raw });
    } catch (err) {
      throw smtpErrorToApi(err);
    }
    await deps.accounts.audit({ userId: user.id, action: 'message_sent', ip, details: { delivered: out.delivered.length, queued: out.queued.length } });
    return { messageId: out.messageId, delivered: out.delivered.length, queued: out.queued.length };
  }
  const envelope = { mailFrom: user.address, rcptTo: local.map((l) => l.address) };
  if (deps.deliver) {
    await deps.deliver({ sender: user, envelope, raw, recipients: local });
  } else if (deps.prepare) {
    const prepared = await deps.prepare(raw, deps.blobs);
    const targets = [...new Set(local.map((l) => l.userId))].map((userId) => ({ userId, mailbox: { specialUse: '\\Inbox' as const } }));
    await deps.mail.deliver(prepared, targets);
  } else {
    throw new ApiError(503, 'sending_unavailable', 'no delivery pipeline configured');
  }
  if (deps.prepare) {
    const sent = await deps.mail.getSpecialMailbox(user.id, '\\Sent');
    // The recipients have it already; a failed Sent copy (quota) is logged, not turned into a failed send.
    if (sent) {
      await deps.mail
        .append(user.id, sent.id, await deps.prepare(raw, deps.blobs), { flags: ['\\Seen'] })
        .catch((err: unknown) => deps.logger.warn({ err, userId: user.id }, 'could not store the Sent copy'));
    }
  }
  await deps.accounts.audit({ userId: user.id, action: 'message_sent', ip, details: { recipients: local.length } });
  return { messageId, delivered: local.length, queued: 0 };
}
