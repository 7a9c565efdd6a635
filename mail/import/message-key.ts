import { countBareLineEnds, headerValue, messageIds, parseMailDate, splitHeader, type HeaderField } from '../mime/index.js';

/**
 * What makes an imported message "already there" (issue 12): its Message-ID, its Date header and
 * its size as the server stores it (CRLF line ends, RFC 5322 2.3).
 */
export interface MessageKey {
  messageId: string | null;
  /** Date header in ms, null when absent or unreadable. */
  date: number | null;
  size: number;
}

export function readMessageKey(raw: Buffer): { key: MessageKey; fields: HeaderField[] } {
  const { fields } = splitHeader(raw, { maxFields: 5000 });
  const idValue = headerValue(fields, 'message-id');
  const date = headerValue(fields, 'date');
  return {
    key: {
      messageId: idValue === null ? null : (messageIds(idValue)[0] ?? (idValue.trim() || null)),
      date: date === null ? null : (parseMailDate(date)?.ms ?? null),
      size: raw.length + countBareLineEnds(raw),
    },
    fields,
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The time on an mbox separator line ("sender Mon Jan  1 00:00:00 2024", asctime, UTC unless a
 * zone is written, as Takeout does: "Mon Jan 01 00:00:00 +0000 2024"); null when there is none.
 */
export function separatorDate(separator: string): Date | null {
  const m = /([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:([+-]\d{4})\s+)?(\d{4})\s*(?:([+-]\d{4}))?\s*$/.exec(separator.slice(0, 512));
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!.toLowerCase());
  if (month < 0) return null;
  const zone = m[6] ?? m[8];
  const offsetMin = zone ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3))) : 0;
  const ms = Date.UTC(Number(m[7]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5] ?? 0)) - offsetMin * 60_000;
  return Number.isFinite(ms) ? new Date(ms) : null;
}
