/**
 * Builds untagged FETCH responses (RFC 3501 7.4.2) in imap-core's response-object shape.
 * imap-core's own session.formatResponse finds the sequence number with uidList.indexOf for
 * every message, which makes FETCH 1:* of a 50,000-message mailbox quadratic; here the
 * UID -> sequence map is built once per command.
 */
import type { FetchQueryItem, ImapSession } from './types.js';

export type SeqMap = Map<number, number>;

export function buildSeqMap(session: ImapSession): SeqMap {
  const map: SeqMap = new Map();
  const list = session.selected ? session.selected.uidList : [];
  for (let i = 0; i < list.length; i++) map.set(list[i]!, i + 1);
  return map;
}

/** RFC 3501 date-time: "17-Jul-1996 02:44:25 -0700" (we answer in UTC). */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export function formatInternalDate(d: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function atom(value: unknown): { type: 'ATOM'; value: string } {
  return { type: 'ATOM', value: value || value === 0 ? String(value) : '' };
}

/** One `* <seq> FETCH (...)` for the values fetch-values.ts computed, item by item. */
export function fetchResponse(seq: number, query: FetchQueryItem[], values: unknown[]): Record<string, unknown> {
  const attrs: unknown[] = [];
  query.forEach((item, i) => {
    const v = values[i];
    attrs.push(item.original);
    if (item.item === 'flags' || item.item === 'modseq') {
      attrs.push(([] as unknown[]).concat(v ?? []).map(atom));
    } else if (v instanceof Date) {
      attrs.push(atom(formatInternalDate(v)));
    } else if (Array.isArray(v)) {
      attrs.push(v);
    } else if (item.isLiteral) {
      const s = v as { type?: string; value?: unknown; expectedLength?: number; startFrom?: number; maxLength?: number } | null;
      if (s && typeof s === 'object' && s.type === 'stream') {
        attrs.push({ type: 'LITERAL', value: s.value, expectedLength: s.expectedLength, startFrom: s.startFrom, maxLength: s.maxLength });
      } else {
        attrs.push({ type: 'LITERAL', value: v });
      }
    } else if (v === '') {
      attrs.push(v);
    } else {
      attrs.push(atom(v));
    }
  });
  return { tag: '*', command: String(seq), attributes: [{ type: 'atom', value: 'FETCH' }, attrs] };
}

/** The unsolicited FETCH after a STORE (RFC 3501 6.4.6): FLAGS, plus UID and MODSEQ when asked for. */
export function flagsResponse(seq: number, data: { uid?: number | false; flags?: string[] | false; modseq?: number | false }): Record<string, unknown> {
  const attrs: unknown[] = [];
  if (data.flags) attrs.push(atom('FLAGS'), data.flags.map(atom));
  if (data.uid) attrs.push(atom('UID'), atom(data.uid));
  if (data.modseq) attrs.push(atom('MODSEQ'), [atom(data.modseq)]);
  return { tag: '*', command: String(seq), attributes: [{ type: 'atom', value: 'FETCH' }, attrs] };
}
