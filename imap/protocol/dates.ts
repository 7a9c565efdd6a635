/**
 * IMAP dates (RFC 3501 9: date, date-time). SEARCH dates are calendar days, kept as YYYYMMDD
 * numbers (domain/search.ts); APPEND's date-time is an instant.
 */
import type { Cursor } from './cursor.js';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function daysIn(month: number, year: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** "1-Feb-1994" / "01-Feb-1994" -> 19940201, or null. */
export function parseDateText(text: string): number | null {
  const m1 = text.indexOf('-');
  const m2 = text.indexOf('-', m1 + 1);
  if (m1 < 1 || m1 > 2 || m2 !== m1 + 4 || text.length !== m2 + 5) return null;
  const day = digits(text, 0, m1);
  const month = MONTHS.indexOf(text.slice(m1 + 1, m2).toUpperCase());
  const year = digits(text, m2 + 1, 4);
  if (day < 1 || month < 0 || year < 0 || day > daysIn(month, year)) return null;
  return year * 10000 + (month + 1) * 100 + day;
}

/** date = date-text / DQUOTE date-text DQUOTE. */
export function parseDate(c: Cursor): number {
  const text = c.peekIs('"') ? c.quoted().toString('latin1') : c.atom();
  const day = parseDateText(text);
  if (day === null) c.fail('Invalid date');
  return day;
}

/** date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE. */
export function parseDateTimeText(text: string): Date | null {
  // " 1-Feb-1994 21:52:25 -0800" or "01-Feb-1994 21:52:25 -0800"
  if (text.length !== 26) return null;
  const day = text[0] === ' ' ? digits(text, 1, 1) : digits(text, 0, 2);
  const month = MONTHS.indexOf(text.slice(3, 6).toUpperCase());
  const year = digits(text, 7, 4);
  if (text[2] !== '-' || text[6] !== '-' || text[11] !== ' ' || text[14] !== ':' || text[17] !== ':' || text[20] !== ' ') return null;
  const hh = digits(text, 12, 2);
  const mm = digits(text, 15, 2);
  const ss = digits(text, 18, 2);
  const sign = text[21];
  const zh = digits(text, 22, 2);
  const zm = digits(text, 24, 2);
  if (day < 1 || month < 0 || year < 0 || day > daysIn(month, year)) return null;
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60 || zh < 0 || zm < 0 || zm > 59) return null;
  if (sign !== '+' && sign !== '-') return null;
  const offset = (zh * 60 + zm) * (sign === '-' ? -1 : 1);
  return new Date(Date.UTC(year, month, day, hh, mm, Math.min(ss, 59)) - offset * 60_000);
}

export function parseDateTime(c: Cursor): Date {
  const d = parseDateTimeText(c.quoted().toString('latin1'));
  if (!d) c.fail('Invalid date-time');
  return d;
}

const pad = (n: number): string => (n < 10 ? '0' + n : String(n));

/** RFC 3501 date-time for INTERNALDATE / SAVEDATE, in UTC: "17-Jul-1996 09:44:25 +0000". */
export function formatDateTime(d: Date): string {
  return `${pad(d.getUTCDate())}-${MONTH_NAMES[d.getUTCMonth()]}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** The UTC calendar day of an instant as YYYYMMDD (INTERNALDATE / SAVEDATE comparisons). */
export function utcDay(d: Date): number {
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}
