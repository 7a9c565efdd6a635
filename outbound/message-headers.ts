import { headerValues as fieldValues, splitHeader } from '../mail/mime/header-block.js';
import { normalizeLineEnds } from '../mail/mime/line-ends.js';

/**
 * Small reads of a raw RFC 5322 message's header block, for what the relay needs (Message-ID,
 * From, auto-reply markers) without a full MIME parse, all through mail/mime's header model.
 */

/**
 * The whole header block as text with CRLF line ends (latin1 keeps bytes one-to-one), found by
 * mail/mime's one line rule (CRLF, bare CR and bare LF each end a line), with no size window:
 * every reader of this text sees the fields the rest of Heron sees (issue 9).
 */
export function headerBlock(raw: Buffer): string {
  const block = splitHeader(raw);
  return normalizeLineEnds(raw.subarray(block.start, block.headerEnd)).toString('latin1');
}

/** Every value of a header field of a header block text, unfolded (RFC 5322 2.2.3), in order: mail/mime's reading. */
export function headerValues(block: string, name: string): string[] {
  return fieldValues(splitHeader(Buffer.from(block, 'latin1')), name);
}

export function headerValue(block: string, name: string): string | null {
  return headerValues(block, name)[0] ?? null;
}

/** The addr-spec inside a Message-ID-like value, angle brackets included. */
export function firstMsgId(value: string | null): string | null {
  if (!value) return null;
  const m = /<[^<>\s]+>/.exec(value);
  return m ? m[0] : null;
}
