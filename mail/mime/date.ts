/**
 * RFC 5322 3.3 date-time, with the obsolete forms of 4.3 (two- and three-digit years, named
 * zones, military zones read as -0000, missing seconds). Keeps the writer's own calendar day,
 * which SENTBEFORE/SENTON/SENTSINCE compare (RFC 3501 6.4.4: the Date header's date, "disregarding
 * time and timezone").
 */

export interface ParsedDate {
  /** Milliseconds since the epoch. */
  ms: number;
  /** The date as written, in its own zone: YYYYMMDD. */
  day: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES: Record<string, number> = {
  ut: 0, gmt: 0, z: 0, utc: 0,
  edt: -4 * 60, est: -5 * 60, cdt: -5 * 60, cst: -6 * 60, mdt: -6 * 60, mst: -7 * 60, pdt: -7 * 60, pst: -8 * 60,
};

/** Parses a Date header value; null when no day, month, year and time can be read. */
export function parseMailDate(text: string): ParsedDate | null {
  // Drop comments and the optional day of week, then read "d mon y hh:mm[:ss] zone".
  const cleaned = text.slice(0, 256).replace(/\([^()]*\)/g, ' ').replace(/^\s*[A-Za-z]+\s*,/, ' ');
  const toks = cleaned.split(/[\s,]+/).filter((t) => t !== '');
  if (toks.length > 12) return null;
  let day = -1;
  let month = -1;
  let year = -1;
  let time: number[] | null = null;
  let zone: number | null = null;
  for (const t of toks) {
    const lower = t.toLowerCase();
    if (month < 0 && /^[a-z]{3,}\.?$/.test(lower) && MONTHS.includes(lower.slice(0, 3))) {
      month = MONTHS.indexOf(lower.slice(0, 3));
    } else if (time === null && /^\d{1,2}:\d{1,2}(:\d{1,2})?$/.test(t)) {
      time = t.split(':').map(Number);
    } else if (time !== null && zone === null && /^[+-]\d{4}$/.test(t)) {
      const sign = t[0] === '-' ? -1 : 1;
      const hh = Number(t.slice(1, 3));
      const mm = Number(t.slice(3, 5));
      if (mm > 59) return null;
      zone = sign * (hh * 60 + mm);
    } else if (time !== null && zone === null && /^[a-z]+$/.test(lower)) {
      // Named zones; military and unknown ones carry no information (RFC 5322 4.3).
      zone = ZONES[lower] ?? 0;
    } else if (/^\d+$/.test(t)) {
      if (day < 0 && t.length <= 2) day = Number(t);
      else if (year < 0) year = Number(t);
    }
  }
  if (day < 1 || month < 0 || year < 0 || time === null) return null;
  if (year < 50 && String(year).length <= 2) year += 2000;
  else if (year < 1000) year += 1900;
  const [hh = 0, mi = 0, ss = 0] = time;
  if (day > daysIn(year, month) || hh > 23 || mi > 59 || ss > 60 || year > 9999) return null;
  const offset = zone ?? 0;
  const ms = Date.UTC(year, month, day, hh, mi, Math.min(ss, 59)) - offset * 60_000;
  return { ms, day: year * 10000 + (month + 1) * 100 + day };
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}
