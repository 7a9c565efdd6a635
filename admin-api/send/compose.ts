import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { User } from '../../domain/user.js';

export interface ComposeInput {
  sender: User;
  to: string[];
  cc: string[];
  /** Written as a Bcc header only when `keepBcc` (the MSA strips it for transmission but keeps it in Sent). */
  bcc?: string[];
  keepBcc?: boolean;
  subject: string;
  text: string;
  html?: string;
  signature: string;
  domain: string;
  /** Files to attach (drafts and their sending); streams are read once. */
  attachments?: Array<{ filename: string; contentType: string; content: Readable | Buffer }>;
  /** Reply threading (RFC 5322 3.6.4): the Message-ID replied to and the References chain. */
  inReplyTo?: string | null;
  references?: string[];
  /** Keep this Message-ID (a draft sent keeps none; a draft re-saved keeps its own). */
  messageId?: string;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Builds the RFC 5322 message with nodemailer's MailComposer. Bcc recipients are never written
 * into the header (they only get the envelope). The signature follows the RFC 3676 "-- " line.
 */
export async function composeMessage(input: ComposeInput): Promise<{ raw: Buffer; messageId: string }> {
  const messageId = input.messageId ?? `<${randomUUID()}@${input.domain}>`;
  const sig = input.signature.trim();
  const text = sig ? `${input.text}\n\n-- \n${sig}\n` : input.text;
  const html = input.html !== undefined && sig ? `${input.html}<br><br>-- <br>${escapeHtml(sig).replace(/\n/g, '<br>')}` : input.html;
  const composer = new MailComposer({
    from: { name: input.sender.displayName || input.sender.username, address: input.sender.address },
    to: input.to,
    cc: input.cc,
    ...(input.keepBcc && input.bcc?.length ? { bcc: input.bcc } : {}),
    subject: input.subject,
    text,
    ...(html !== undefined ? { html } : {}),
    messageId,
    ...(input.inReplyTo ? { inReplyTo: input.inReplyTo } : {}),
    ...(input.references?.length ? { references: input.references } : {}),
    ...(input.attachments?.length ? { attachments: input.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) } : {}),
    date: new Date(),
    headers: { 'X-Mailer': 'Heron' },
  });
  const node = composer.compile();
  if (input.keepBcc) (node as unknown as { keepBcc: boolean }).keepBcc = true;
  const raw = await node.build();
  return { raw, messageId };
}
