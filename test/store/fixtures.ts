import type {
  AttachmentInfo,
  BlobStore,
  ContentSegment,
  EnvelopeAddress,
  MimePart,
  PreparedMessage,
} from '../../domain/index.js';

/**
 * Store fixtures: PreparedMessage values built by hand for simple messages (a text/plain body,
 * optionally base64 attachments in a multipart/mixed), the way mail/mime prepares them: exact
 * CRLF bytes, a part tree with byte offsets, attachment bodies written to the blob store first
 * and referenced as blob segments. Backend-neutral: the MongoDB backend runs the same fixtures.
 */
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
  /** Raw header lines with CRLF, e.g. `X-Priority: 1\r\n`. */
  extraHeaders?: string;
  attachments?: Array<{ filename: string; content: Buffer | string; contentType?: string }>;
  /** Pads the body with spaces to exactly this many bytes (must be at least the natural size). */
  size?: number;
}

const BOUNDARY = 'heron-fixture-boundary';

function part(headerStart: number, bodyStart: number, bodyEnd: number, type: string, subtype: string, extra: Partial<MimePart> = {}): MimePart {
  return {
    headerStart,
    bodyStart,
    bodyEnd,
    type,
    subtype,
    params: [],
    id: null,
    description: null,
    encoding: null,
    md5: null,
    location: null,
    disposition: null,
    language: null,
    bodyLines: 0,
    ...extra,
  };
}

function countLines(s: string): number {
  return s === '' ? 0 : s.split('\r\n').length;
}

/** `Name <a@b>, c@d` -> ENVELOPE addresses (no groups, no quoting: fixtures stay simple). */
export function envelopeAddresses(value: string | undefined): EnvelopeAddress[] | null {
  if (!value) return null;
  return value.split(',').map((one) => {
    const m = /^\s*(.*?)\s*<([^>]*)>\s*$/.exec(one);
    const name = m ? m[1]! || null : null;
    const addr = (m ? m[2]! : one).trim();
    const at = addr.lastIndexOf('@');
    return { name, adl: null, mailbox: at < 0 ? addr : addr.slice(0, at), host: at < 0 ? '' : addr.slice(at + 1) };
  });
}

function firstMailbox(value: string | undefined): string {
  const a = envelopeAddresses(value)?.[0];
  return a ? `${a.mailbox}@${a.host}`.toLowerCase() : '';
}

function baseSubject(subject: string): { base: string; reply: boolean } {
  let s = subject.trim().toLowerCase();
  let reply = false;
  for (;;) {
    const m = /^(re|fwd?)\s*:\s*/.exec(s);
    if (!m) break;
    reply = true;
    s = s.slice(m[0].length);
  }
  return { base: s, reply };
}

function dayOf(date: Date): number {
  return date.getUTCFullYear() * 10_000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

/** "Name: value" lines of a header block, unfolded: what PreparedMessage.search.headers holds. */
export function headerSearchLines(block: string): string {
  return block
    .replace(/\r\n(?=[ \t])/g, '')
    .split('\r\n')
    .filter((l) => l.includes(':'))
    .map((l) => {
      const colon = l.indexOf(':');
      return `${l.slice(0, colon)}: ${l.slice(colon + 1).trim()}`;
    })
    .join('\n');
}

export async function makeMessage(blobs: BlobStore, input: FixtureInput = {}): Promise<PreparedMessage> {
  const subject = input.subject ?? 'Hello';
  const from = input.from ?? 'Sender <sender@remote.test>';
  const to = input.to ?? 'user@example.test';
  let text = input.text ?? 'Hello there, this is the body.';
  const messageId = input.messageId === undefined ? `<${Math.random().toString(36).slice(2)}@remote.test>` : input.messageId;
  const date = input.date === undefined ? new Date('2024-03-10T12:00:00Z') : input.date;
  const attachments = input.attachments ?? [];

  const headerLines = [
    `From: ${from}`,
    `To: ${to}`,
    ...(input.cc ? [`Cc: ${input.cc}`] : []),
    ...(input.bcc ? [`Bcc: ${input.bcc}`] : []),
    `Subject: ${subject}`,
    ...(messageId ? [`Message-ID: ${messageId}`] : []),
    ...(date ? [`Date: ${date.toUTCString().replace('GMT', '+0000')}`] : []),
    ...(input.inReplyTo ? [`In-Reply-To: ${input.inReplyTo}`] : []),
    ...(input.references?.length ? [`References: ${input.references.join(' ')}`] : []),
    'MIME-Version: 1.0',
    attachments.length > 0 ? `Content-Type: multipart/mixed; boundary="${BOUNDARY}"` : 'Content-Type: text/plain; charset=utf-8',
  ];
  let head = headerLines.join('\r\n') + '\r\n' + (input.extraHeaders ?? '') + '\r\n';

  const content: ContentSegment[] = [];
  const blobIds: string[] = [];
  const infos: AttachmentInfo[] = [];
  let structure: MimePart;
  let size: number;
  const natural = (body: string): number => Buffer.byteLength(head) + Buffer.byteLength(body);

  if (attachments.length === 0) {
    if (input.size !== undefined) {
      const pad = input.size - natural(text);
      if (pad < 0) throw new Error(`fixture size ${input.size} below the natural ${natural(text)}`);
      text += ' '.repeat(pad);
    }
    const headLen = Buffer.byteLength(head);
    size = headLen + Buffer.byteLength(text);
    content.push({ data: Buffer.from(head + text) });
    structure = part(0, headLen, size, 'text', 'plain', { params: [['charset', 'utf-8']], bodyLines: countLines(text) });
  } else {
    const children: MimePart[] = [];
    const chunks: Array<Buffer | { blobId: string; size: number }> = [];
    let pos = Buffer.byteLength(head);
    const push = (s: string): void => {
      chunks.push(Buffer.from(s));
      pos += Buffer.byteLength(s);
    };
    push(`--${BOUNDARY}\r\n`);
    const textHead = 'Content-Type: text/plain; charset=utf-8\r\n\r\n';
    const textStart = pos;
    push(textHead + text);
    children.push(part(textStart, textStart + Buffer.byteLength(textHead), pos, 'text', 'plain', { params: [['charset', 'utf-8']], bodyLines: countLines(text) }));
    for (const [i, a] of attachments.entries()) {
      push(`\r\n--${BOUNDARY}\r\n`);
      const [type, subtype] = (a.contentType ?? 'application/octet-stream').split('/') as [string, string];
      const partHead = `Content-Type: ${type}/${subtype}; name="${a.filename}"\r\nContent-Disposition: attachment; filename="${a.filename}"\r\nContent-Transfer-Encoding: base64\r\n\r\n`;
      const partStart = pos;
      push(partHead);
      const raw = Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content);
      const encoded = Buffer.from(raw.toString('base64').replace(/.{76}(?=.)/g, '$&\r\n'));
      const put = await blobs.put(encoded);
      blobIds.push(put.id);
      chunks.push({ blobId: put.id, size: put.size });
      const bodyStart = pos;
      pos += put.size;
      children.push(
        part(partStart, bodyStart, pos, type, subtype, {
          params: [['name', a.filename]],
          encoding: 'base64',
          disposition: { type: 'attachment', params: [['filename', a.filename]] },
          bodyLines: countLines(encoded.toString()),
        }),
      );
      infos.push({ part: String(i + 2), filename: a.filename, contentType: `${type}/${subtype}`, size: raw.length, disposition: 'attachment' });
    }
    push(`\r\n--${BOUNDARY}--\r\n`);
    if (input.size !== undefined && input.size !== pos) throw new Error('fixture size is only supported without attachments');
    size = pos;
    const headLen = Buffer.byteLength(head);
    content.push({ data: Buffer.from(head) });
    for (const c of chunks) content.push(Buffer.isBuffer(c) ? { data: c } : c);
    structure = part(0, headLen, size, 'multipart', 'mixed', { params: [['boundary', BOUNDARY]], children, bodyLines: 0 });
  }
  head = head.slice(0, -2);

  const subj = baseSubject(subject);
  return {
    size,
    content,
    structure,
    envelope: {
      date: date ? date.toUTCString() : null,
      subject,
      from: envelopeAddresses(from),
      sender: null,
      replyTo: null,
      to: envelopeAddresses(to),
      cc: envelopeAddresses(input.cc),
      bcc: envelopeAddresses(input.bcc),
      inReplyTo: input.inReplyTo ?? null,
      messageId,
    },
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
    sortKeys: {
      baseSubject: subj.base,
      subjectIsReply: subj.reply,
      from: firstMailbox(from),
      to: firstMailbox(to),
      cc: firstMailbox(input.cc),
      displayFrom: envelopeAddresses(from)?.[0]?.name ?? firstMailbox(from),
      displayTo: envelopeAddresses(to)?.[0]?.name ?? firstMailbox(to),
      sentAt: date ? date.getTime() : null,
      sentDay: date ? dayOf(date) : null,
    },
    search: { headers: headerSearchLines(head), body: text, filenames: attachments.map((a) => a.filename).join('\n') },
    snippet: text.trim().slice(0, 200),
    attachments: infos,
    blobIds,
  };
}

/** The whole message as one buffer. */
export async function messageBytes(blobs: BlobStore, content: readonly ContentSegment[]): Promise<Buffer> {
  const out: Buffer[] = [];
  for (const s of content) {
    if ('data' in s) out.push(s.data);
    else for await (const c of blobs.createReadStream(s.blobId)) out.push(c as Buffer);
  }
  return Buffer.concat(out);
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * A single-part message from raw text (LF or CRLF), for the search cases of the corpus
 * (test/mail/mime/fixtures/corpus.ts): headers as written, the body as text. Address fields are
 * taken as plain `Name <a@b>` lists (no comments, no groups); the Date header's own day is its
 * sent day.
 */
export async function makeRawMessage(_blobs: BlobStore, raw: string, opts: { keepLineEnds?: boolean } = {}): Promise<PreparedMessage> {
  const bytes = opts.keepLineEnds ? raw : raw.replace(/\r?\n/g, '\r\n');
  const sep = bytes.indexOf('\r\n\r\n');
  const head = sep < 0 ? bytes : bytes.slice(0, sep + 2);
  const headLen = sep < 0 ? bytes.length : sep + 4;
  const body = bytes.slice(headLen);
  const lines = headerSearchLines(head);
  const value = (name: string): string | undefined =>
    lines
      .split('\n')
      .find((l) => l.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim();
  const subject = value('subject') ?? '';
  const dateText = value('date');
  const dm = dateText ? /(\d{1,2})\s+([a-z]{3})\w*\s+(\d{4})/i.exec(dateText) : null;
  const sentDay = dm ? Number(dm[3]) * 10_000 + (MONTHS.indexOf(dm[2]!.toLowerCase()) + 1) * 100 + Number(dm[1]) : null;
  const parsed = dateText ? new Date(dateText) : null;
  const date = parsed && !Number.isNaN(parsed.getTime()) ? parsed : null;
  const subj = baseSubject(subject);
  const data = Buffer.from(bytes, opts.keepLineEnds ? 'latin1' : 'utf8');
  const size = data.length;
  return {
    size,
    content: [{ data }],
    structure: part(0, headLen, size, 'text', 'plain', { bodyLines: countLines(body) }),
    envelope: {
      date: dateText ?? null,
      subject: value('subject') ?? null,
      from: envelopeAddresses(value('from')),
      sender: null,
      replyTo: null,
      to: envelopeAddresses(value('to')),
      cc: envelopeAddresses(value('cc')),
      bcc: envelopeAddresses(value('bcc')),
      inReplyTo: null,
      messageId: value('message-id') ?? null,
    },
    header: {
      messageId: value('message-id') ?? null,
      subject,
      from: value('from') ?? '',
      to: value('to') ?? '',
      cc: value('cc') ?? '',
      bcc: value('bcc') ?? '',
      replyTo: '',
      date,
      inReplyTo: null,
      references: [],
    },
    sortKeys: {
      baseSubject: subj.base,
      subjectIsReply: subj.reply,
      from: firstMailbox(value('from')),
      to: firstMailbox(value('to')),
      cc: firstMailbox(value('cc')),
      displayFrom: firstMailbox(value('from')),
      displayTo: firstMailbox(value('to')),
      sentAt: date ? date.getTime() : null,
      sentDay,
    },
    search: { headers: lines, body, filenames: '' },
    snippet: body.trim().slice(0, 200),
    attachments: [],
    blobIds: [],
  };
}
