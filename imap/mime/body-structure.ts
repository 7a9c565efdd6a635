import type { MimeParams, MimePart } from '../../domain/index.js';
import { run, type ImapValue } from '../protocol/values.js';
import { envelopeValue } from './envelope-value.js';

/**
 * BODY and BODYSTRUCTURE (RFC 3501 7.4.2, RFC 9051 7.5.2). `extensible: false` is BODY: no
 * extension data. `extensible: true` is BODYSTRUCTURE: MD5, disposition, language and location
 * for single parts; parameters, disposition, language and location for multiparts.
 */
export function bodyStructureValue(part: MimePart, opts: { extensible: boolean }): ImapValue {
  // Iterative over multipart nesting would not help: the value itself nests as deep as the
  // parts, and the parser bounds that depth (mail/mime/structure.ts maxDepth).
  return structure(part, opts.extensible);
}

function structure(part: MimePart, ext: boolean): ImapValue {
  if (part.children) return multipart(part, ext);
  const size = part.bodyEnd - part.bodyStart;
  const type = part.type.toLowerCase();
  // A text part without a charset is us-ascii (RFC 2045 5.2, RFC 2046 4.1.2); say so, as Dovecot does.
  const own = mergeContinuations(part.params);
  const p = type === 'text' && !own.some(([n]) => n === 'charset') ? [...own, ['charset', 'us-ascii'] as [string, string]] : own;
  const out: ImapValue[] = [part.type, part.subtype, params(p), part.id, part.description, part.encoding ?? '7BIT', size];
  const sub = part.subtype.toLowerCase();
  if (type === 'message' && (sub === 'rfc822' || sub === 'global')) {
    // body-type-msg needs an envelope and a body; a message/rfc822 part that was not parsed
    // (transfer-encoded, or past the nesting limit) gets empty ones, keeping the syntax valid.
    if (part.message) out.push(envelopeValue(part.message.envelope), structure(part.message.part, ext), part.bodyLines);
    else out.push(EMPTY_ENVELOPE, EMPTY_TEXT, part.bodyLines);
  } else if (type === 'text') {
    out.push(part.bodyLines);
  }
  if (ext) out.push(part.md5, disposition(part), language(part), part.location);
  return out;
}

const EMPTY_ENVELOPE: ImapValue = [null, null, null, null, null, null, null, null, null, null];
const EMPTY_TEXT: ImapValue[] = ['text', 'plain', ['charset', 'us-ascii'], null, null, '7BIT', 0, 0];

function multipart(part: MimePart, ext: boolean): ImapValue {
  const bodies: ImapValue[] = [];
  // RFC 3501 body-type-mpart needs at least one body: a multipart with no parts (no boundary,
  // or none found) shows one empty text/plain, as Dovecot does.
  if (part.children!.length === 0) bodies.push(ext ? [...EMPTY_TEXT, null, null, null, null] : EMPTY_TEXT);
  for (const c of part.children!) bodies.push(structure(c, ext));
  // `1*body SP media-subtype`: the bodies go back to back, one space before the subtype.
  const out: ImapValue[] = [run(bodies), part.subtype];
  if (ext) out.push(params(mergeContinuations(part.params)), disposition(part), language(part), part.location);
  return out;
}

function params(p: MimeParams): ImapValue {
  if (p.length === 0) return null;
  const out: ImapValue[] = [];
  for (const [n, v] of p) out.push(n, v);
  return out;
}

function disposition(part: MimePart): ImapValue {
  return part.disposition ? [part.disposition.type, params(mergeContinuations(part.disposition.params))] : null;
}

/** Content-Language as a list, one tag or many (body-fld-lang allows both; Dovecot sends a list). */
function language(part: MimePart): ImapValue {
  const l = part.language;
  return l && l.length > 0 ? l : null;
}

/**
 * RFC 2231 continuations (`name*0`, `name*1*`, ...) joined into one parameter, as Dovecot sends
 * them: `name*` = `charset'lang'value` when any piece is extended (plain pieces percent-encoded
 * where needed), else `name` with the pieces joined. Other parameters stay as written.
 */
function mergeContinuations(p: MimeParams): MimeParams {
  if (!p.some(([n]) => /\*\d+\*?$/.test(n))) return p;
  const out: MimeParams = [];
  const groups = new Map<string, Array<{ index: number; value: string; extended: boolean }>>();
  for (const [n, v] of p) {
    const m = /^(.*)\*(\d{1,3})(\*?)$/.exec(n);
    if (!m) {
      out.push([n, v]);
      continue;
    }
    let g = groups.get(m[1]!);
    if (!g) {
      g = [];
      groups.set(m[1]!, g);
      // Keep the joined parameter where its first piece was.
      out.push([m[1]!, '']);
    }
    g.push({ index: Number(m[2]), value: v, extended: m[3] === '*' });
  }
  return out.map(([n, v]) => {
    const g = groups.get(n);
    if (!g) return [n, v] as [string, string];
    g.sort((a, b) => a.index - b.index);
    if (!g.some((x) => x.extended)) return [n, g.map((x) => x.value).join('')] as [string, string];
    const joined = g.map((x, i) => (x.extended ? x.value : (i === 0 ? "''" : '') + encodeURIComponent(x.value).replace(/'/g, '%27'))).join('');
    return [`${n}*`, joined] as [string, string];
  });
}
