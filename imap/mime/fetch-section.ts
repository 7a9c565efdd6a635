import type { MimePart } from '../../domain/index.js';
import type { ImapLiteral, PartialRange, SectionSpec } from '../protocol/values.js';
import { materialize, sectionLiteral, type MessageSource } from './section-content.js';
import { resolveBinary, resolveSection } from './section.js';

/** A stored message as FETCH reads it: its structure and where its bytes are. */
export interface FetchableMessage extends MessageSource {
  structure: MimePart;
}

/** BODY[section]<partial> (also RFC822, RFC822.HEADER, RFC822.TEXT: BODY[], [HEADER], [TEXT]). */
export async function bodySectionLiteral(msg: FetchableMessage, spec: SectionSpec, partial: PartialRange | null = null): Promise<ImapLiteral> {
  return sectionLiteral(await materialize(resolveSection(msg.structure, spec), msg), partial);
}

/** BINARY[part]<partial> (RFC 3516); `{ error: 'UNKNOWN-CTE' }` answers `NO [UNKNOWN-CTE]`. */
export async function binarySectionLiteral(msg: FetchableMessage, part: number[], partial: PartialRange | null = null): Promise<ImapLiteral | { error: 'UNKNOWN-CTE' }> {
  const plan = resolveBinary(msg.structure, part);
  if ('error' in plan) return plan;
  return sectionLiteral(await materialize(plan, msg, { scanNul: true }), partial, { binary: true });
}

/** BINARY.SIZE[part] (RFC 3516 4.2): the decoded size. */
export async function binarySize(msg: FetchableMessage, part: number[]): Promise<number | { error: 'UNKNOWN-CTE' }> {
  const plan = resolveBinary(msg.structure, part);
  if ('error' in plan) return plan;
  return (await materialize(plan, msg)).length;
}
