import { SmtpError, SmtpReplies } from '../../domain/index.js';
import { checkHeaderBlock } from '../../mail/mime/header-check.js';
import { splitHeader, type HeaderBlock } from '../../mail/mime/header-block.js';

/** Largest header block a submission may carry (the MX's default too). */
export const MAX_SUBMITTED_HEADER = 1024 * 1024;

/**
 * The strict reading of a submitted (already line-normalised) header block: NUL, lines that are
 * not fields and bad field names are 554 5.6.0 (RFC 5322 2.2); a block over the limit is 552
 * 5.3.4. Every byte of the block is looked at, in linear time.
 */
export function checkedHeader(raw: Buffer): HeaderBlock {
  const check = checkHeaderBlock(raw, { maxBytes: MAX_SUBMITTED_HEADER, maxLineLength: Number.MAX_SAFE_INTEGER });
  for (const p of check.problems) {
    if (p.kind === 'too-large' || p.kind === 'too-many-fields') throw new SmtpError(SmtpReplies.headerTooBig);
    if (p.kind === 'nul' || p.kind === 'no-colon' || p.kind === 'bad-name' || p.kind === 'bare-cr' || p.kind === 'bare-lf') {
      throw new SmtpError(SmtpReplies.malformedMessage, `Malformed header block (${p.kind} at byte ${p.offset})`);
    }
  }
  return splitHeader(raw);
}

/** The message without any field named `key` (lower-case), folds included; the body untouched. */
export function withoutFields(raw: Buffer, key: string): Buffer {
  const block = splitHeader(raw);
  const kept = block.fields.filter((f) => f.key !== key);
  if (kept.length === block.fields.length) return raw;
  return Buffer.concat([raw.subarray(0, block.start), ...kept.map((f) => f.bytes), raw.subarray(block.headerEnd)]);
}
