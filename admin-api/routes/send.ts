import Router from '@koa/router';
import { ApiError, notFound } from '../../gateway/index.js';
import type { CheckRecipient } from '../../domain/verdict.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/mail.js';
import { composeMessage } from '../send/compose.js';
import { smtpErrorToApi } from '../send/smtp-error-status.js';

const MAX_RECIPIENTS = 100;

/** Compose and send: through the MSA when wired (remote recipients queued), else local delivery only. */
export function sendRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/messages/send', summary: 'Send a message (to, cc, bcc, groups)', auth: 'user', body: S.SendBody,
    response: S.SendResponse, status: 202,
    errors: [[400, 'no_recipients'], [400, 'too_many_recipients'], [404, 'not_found'], [422, 'unknown_recipient'], [422, 'remote_delivery_unavailable'], [503, 'sending_unavailable']],
    async handler({ user, body, ctx }) {
      const to = [...body.to];
      for (const gid of body.groupIds ?? []) {
        const g = await deps.accounts.getGroup(user.id, gid);
        if (!g) throw notFound('group');
        for (const cid of g.contactIds) {
          const c = await deps.accounts.getContact(user.id, cid);
          if (c) to.push(c.email);
        }
      }
      const all = [...new Set([...to, ...body.cc, ...body.bcc].map((a) => a.toLowerCase()))];
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
        cc: body.cc,
        bcc: body.bcc,
        keepBcc: deps.submit !== undefined,
        subject: body.subject,
        text: body.text,
        ...(body.html !== undefined ? { html: body.html } : {}),
        signature: prefs.signature,
        domain: user.address.slice(user.address.lastIndexOf('@') + 1),
      });
      if (deps.submit) {
        const envelope = { mailFrom: user.address, rcptTo: all };
        let out;
        try {
          out = await deps.submit({ user: { id: user.id, address: user.address }, envelope, raw });
        } catch (err) {
          throw smtpErrorToApi(err);
        }
        await deps.accounts.audit({ userId: user.id, action: 'message_sent', ip: ctx.ip, details: { delivered: out.delivered.length, queued: out.queued.length } });
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
      await deps.accounts.audit({ userId: user.id, action: 'message_sent', ip: ctx.ip, details: { recipients: local.length } });
      return { messageId, delivered: local.length, queued: 0 };
    },
  });
  return r;
}
