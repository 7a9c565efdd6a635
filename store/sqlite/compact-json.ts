import type { EnvelopeAddress, MessageEnvelope, MessageHeaderSummary, MimeParams, MimePart } from '../../domain/index.js';

/**
 * Compact JSON for the parts of a message every protocol reads (ENVELOPE, the part tree, the
 * header summary): positional arrays instead of keyed objects, trailing nulls dropped, and
 * values the envelope already holds written as 1 ("same as derived"). About a third of the
 * keyed JSON, which matters next to a compressed 5 KB message. Decoding gives back exactly the
 * objects that were encoded.
 */

type Json = null | number | string | boolean | Json[] | { [k: string]: Json };
const SAME = 1;

function trim(a: Json[]): Json[] {
  let n = a.length;
  while (n > 0 && a[n - 1] === null) n--;
  return n === a.length ? a : a.slice(0, n);
}

const addr = (a: EnvelopeAddress): Json[] => trim([a.name, a.adl, a.mailbox, a.host]);
const unaddr = (a: Json[]): EnvelopeAddress => ({
  name: (a[0] as string | null) ?? null,
  adl: (a[1] as string | null) ?? null,
  mailbox: (a[2] as string | null) ?? null,
  host: (a[3] as string | null) ?? null,
});

function list(l: EnvelopeAddress[] | null, from: EnvelopeAddress[] | null): Json {
  if (l === null) return null;
  if (from !== null && l !== from && JSON.stringify(l) === JSON.stringify(from)) return SAME;
  return l.map(addr);
}

function unlist(v: Json | undefined, from: EnvelopeAddress[] | null): EnvelopeAddress[] | null {
  if (v === null || v === undefined) return null;
  if (v === SAME) return from === null ? null : from.map((a) => ({ ...a }));
  return (v as Json[][]).map(unaddr);
}

export function encodeEnvelope(e: MessageEnvelope | null | undefined): string {
  if (!e) return 'null';
  const from = e.from ?? null;
  return JSON.stringify(
    trim([e.date, e.subject, from === null ? null : from.map(addr), list(e.sender, from), list(e.replyTo, from), list(e.to, null), list(e.cc, null), list(e.bcc, null), e.inReplyTo, e.messageId]),
  );
}

export function decodeEnvelope(json: string): MessageEnvelope | null {
  const a = JSON.parse(json) as Json[] | null;
  if (a === null) return null;
  const from = unlist(a[2], null);
  return {
    date: (a[0] as string | null) ?? null,
    subject: (a[1] as string | null) ?? null,
    from,
    sender: unlist(a[3], from),
    replyTo: unlist(a[4], from),
    to: unlist(a[5], null),
    cc: unlist(a[6], null),
    bcc: unlist(a[7], null),
    inReplyTo: (a[8] as string | null) ?? null,
    messageId: (a[9] as string | null) ?? null,
  };
}

function params(p: MimeParams): Json {
  return p.length === 0 ? null : (p as unknown as Json);
}

function encodePart(p: MimePart): Json[] {
  return trim([
    p.headerStart,
    p.bodyStart,
    p.bodyEnd,
    p.type,
    p.subtype,
    params(p.params),
    p.id,
    p.description,
    p.encoding,
    p.md5,
    p.location,
    p.disposition ? trim([p.disposition.type, params(p.disposition.params)]) : null,
    p.language as Json,
    p.bodyLines,
    p.children ? p.children.map(encodePart) : null,
    p.message ? [encodePart(p.message.part), JSON.parse(encodeEnvelope(p.message.envelope)) as Json] : null,
  ]);
}

function decodePart(a: Json[]): MimePart {
  const part: MimePart = {
    headerStart: a[0] as number,
    bodyStart: a[1] as number,
    bodyEnd: a[2] as number,
    type: a[3] as string,
    subtype: a[4] as string,
    params: ((a[5] as MimeParams | null | undefined) ?? []) as MimeParams,
    id: (a[6] as string | null) ?? null,
    description: (a[7] as string | null) ?? null,
    encoding: (a[8] as string | null) ?? null,
    md5: (a[9] as string | null) ?? null,
    location: (a[10] as string | null) ?? null,
    disposition: a[11] ? { type: (a[11] as Json[])[0] as string, params: (((a[11] as Json[])[1] as MimeParams | null | undefined) ?? []) as MimeParams } : null,
    language: (a[12] as string[] | null) ?? null,
    bodyLines: (a[13] as number | undefined) ?? 0,
  };
  if (a[14]) part.children = (a[14] as Json[][]).map(decodePart);
  if (a[15]) {
    const [inner, env] = a[15] as [Json[], Json];
    part.message = { part: decodePart(inner), envelope: decodeEnvelope(JSON.stringify(env))! };
  }
  return part;
}

export const encodeStructure = (p: MimePart): string => JSON.stringify(encodePart(p));
export const decodeStructure = (json: string): MimePart => decodePart(JSON.parse(json) as Json[]);

/** `Name <mailbox@host>, ...` from ENVELOPE addresses: what a header summary usually says. */
function display(l: EnvelopeAddress[] | null | undefined): string {
  if (!l) return '';
  return l
    .filter((a) => a.host !== null)
    .map((a) => (a.name ? `${a.name} <${a.mailbox ?? ''}@${a.host}>` : `${a.mailbox ?? ''}@${a.host}`))
    .join(', ');
}

function same<T>(value: T, derived: T): Json {
  return value === derived ? SAME : (value as unknown as Json);
}

function back<T>(v: Json | undefined, derived: T): T {
  return v === SAME ? derived : ((v ?? null) as unknown as T);
}

/** The header summary, with what the envelope already says written as 1. */
export function encodeHeader(h: MessageHeaderSummary, e: MessageEnvelope | null | undefined): string {
  const date = h.date instanceof Date && !Number.isNaN(h.date.getTime()) ? h.date.getTime() : null;
  return JSON.stringify(
    trim([
      same(h.subject, e?.subject ?? ''),
      same(h.from, display(e?.from)),
      same(h.to, display(e?.to)),
      same(h.cc, display(e?.cc)),
      same(h.bcc, display(e?.bcc)),
      same(h.replyTo, display(e?.replyTo)),
      same(h.messageId, e?.messageId ?? null),
      same(h.inReplyTo, e?.inReplyTo ?? null),
      date,
      h.references.length > 0 ? h.references : null,
    ]),
  );
}

export function decodeHeader(json: string, e: MessageEnvelope | null): MessageHeaderSummary {
  const a = JSON.parse(json) as Json[];
  return {
    messageId: back(a[6], e?.messageId ?? null),
    subject: back(a[0], e?.subject ?? '') ?? '',
    from: back(a[1], display(e?.from)) ?? '',
    to: back(a[2], display(e?.to)) ?? '',
    cc: back(a[3], display(e?.cc)) ?? '',
    bcc: back(a[4], display(e?.bcc)) ?? '',
    replyTo: back(a[5], display(e?.replyTo)) ?? '',
    date: typeof a[8] === 'number' ? new Date(a[8]) : null,
    inReplyTo: back(a[7], e?.inReplyTo ?? null),
    references: (a[9] as string[] | undefined) ?? [],
  };
}
