import type { SqliteDb } from './db.js';

/**
 * RFC 3501 SEARCH HEADER: the named header's (unfolded) value contains the string, both
 * case-insensitively; an empty string matches any message that has the header. Registered as an
 * SQL function so the query runs inside SQLite over the stored header block only.
 */
export function headerMatches(headerText: string, name: string, value: string): boolean {
  if (typeof headerText !== 'string' || typeof name !== 'string' || typeof value !== 'string') return false;
  const wantName = name.trim().toLowerCase();
  const wantValue = value.toLowerCase();
  // RFC 5322 2.2.3: a line starting with white space continues the previous header.
  const unfolded = headerText.replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (line.slice(0, colon).trim().toLowerCase() !== wantName) continue;
    if (wantValue === '' || line.slice(colon + 1).toLowerCase().includes(wantValue)) return true;
  }
  return false;
}

export function registerHeaderMatch(db: SqliteDb): void {
  db.function('heron_header_match', { deterministic: true }, (headerText: unknown, name: unknown, value: unknown) =>
    headerMatches(String(headerText ?? ''), String(name ?? ''), String(value ?? '')) ? 1 : 0,
  );
}
