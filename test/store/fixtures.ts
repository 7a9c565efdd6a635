import type { BlobStore, PreparedMessage } from '../../domain/index.js';

export interface FixtureInput {
  subject?: string;
  from?: string;
  to?: string;
  cc?: string;
  bcc?: string;
  text?: string;
  messageId?: string | null;
  inReplyTo?: string | null;
  references?: string[];
  date?: Date | null;
  extraHeaders?: string;
  attachments?: Array<{ filename: string; content: Buffer | string; contentType?: string }>;
  size?: number;
}

/**
 * Builds a PreparedMessage by hand (what mail/message-codec would produce), writing attachment
 * bodies to the blob store first, as the codec does. The MIME tree holds Buffers on purpose:
 * backends must round-trip them exactly.
 */
export async function makeMessage(blobs: BlobStore, input: FixtureInput = {}): Promise<PreparedMessage> {
  const subject = input.subject ?? 'Hello';
  const from = input.from ?? 'Sender <sender@remote.test>';
  const to = input.to ?? 'user@example.test';
  const text = input.text ?? 'Hello there, this is the body.';
  const messageId = input.messageId === undefined ? `<${Math.random().toString(36).slice(2)}@remote.test>` : input.messageId;
  const date = input.date === undefined ? new Date('2024-03-10T12:00:00Z') : input.date;
  const attachments = [];
  const blobIds: string[] = [];
  for (const a of input.attachments ?? []) {
    const put = await blobs.put(Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content));
    attachments.push({ blobId: put.id, filename: a.filename, contentType: a.contentType ?? 'application/octet-stream', size: put.size });
    blobIds.push(put.id);
  }
  const headerText =
    `From: ${from}\r\nTo: ${to}\r\n` +
    (input.cc ? `Cc: ${input.cc}\r\n` : '') +
    `Subject: ${subject}\r\n` +
    (messageId ? `Message-ID: ${messageId}\r\n` : '') +
    (input.extraHeaders ?? '') +
    '\r\n';
  const body = Buffer.from(text);
  return {
    mimeTree: {
      header: headerText.split('\r\n').filter(Boolean),
      body,
      parsedHeader: { subject, 'content-type': { value: 'text/plain', params: { charset: 'utf-8' } } },
      childNodes: attachments.map((a) => ({ attachmentId: a.blobId, size: a.size, raw: Buffer.from([0, 1, 2, 255]) })),
      size: headerText.length + body.length,
    },
    size: input.size ?? headerText.length + body.length,
    envelope: [date?.toUTCString() ?? null, subject, [[null, null, 'sender', 'remote.test']], null, null, null, null, null, null, messageId],
    bodystructure: ['text', 'plain', ['charset', 'utf-8'], null, null, '7bit', body.length, 1],
    header: {
      messageId,
      subject,
      from,
      to,
      cc: input.cc ?? '',
      bcc: input.bcc ?? '',
      replyTo: '',
      date,
      inReplyTo: input.inReplyTo ?? null,
      references: input.references ?? [],
    },
    headerText,
    text,
    html: [`<p>${text}</p>`],
    attachments,
    blobIds,
  };
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
