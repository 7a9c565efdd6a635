/** Display helpers: dates in the user's time zone, sizes, and address lists from header strings. */

let zone: string | undefined;
let locale: string | undefined;

/** The preferences' time zone and language apply to every date shown. */
export function setDisplayPreferences(prefs: { timezone?: string; language?: string } | null): void {
  zone = prefs?.timezone || undefined;
  locale = prefs?.language || undefined;
}

const fmt = (opts: Intl.DateTimeFormatOptions) => {
  try {
    return new Intl.DateTimeFormat(locale, { ...opts, ...(zone ? { timeZone: zone } : {}) });
  } catch {
    return new Intl.DateTimeFormat(undefined, opts);
  }
};

/** Gmail's list style: a time today, a day this year, a full date before. */
export function shortDate(iso: string | null, now = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  const day = fmt({ year: 'numeric', month: '2-digit', day: '2-digit' });
  if (day.format(d) === day.format(now)) return fmt({ hour: 'numeric', minute: '2-digit' }).format(d);
  if (fmt({ year: 'numeric' }).format(d) === fmt({ year: 'numeric' }).format(now)) return fmt({ month: 'short', day: 'numeric' }).format(d);
  return fmt({ year: 'numeric', month: 'short', day: 'numeric' }).format(d);
}

export function longDate(iso: string | null): string {
  return iso ? fmt({ dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '';
}

export function clockTime(d: Date): string {
  return fmt({ hour: 'numeric', minute: '2-digit' }).format(d);
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 102.4) / 10} KB`;
  return `${Math.round(bytes / (1024 * 102.4)) / 10} MB`;
}

export interface Address {
  name: string;
  address: string;
}

/** `Ann <a@x>, "Doe, J" <j@y>, b@z` -> addresses; commas inside quotes do not split. */
export function parseAddresses(list: string): Address[] {
  const out: Address[] = [];
  let cur = '';
  let quoted = false;
  let angle = false;
  const flush = () => {
    const s = cur.trim();
    cur = '';
    if (!s) return;
    const m = /^(.*?)\s*<([^>]*)>\s*$/.exec(s);
    if (m) out.push({ name: m[1]!.replace(/^"|"$/g, '').trim(), address: m[2]!.trim().toLowerCase() });
    else if (s.includes('@')) out.push({ name: '', address: s.replace(/^"|"$/g, '').toLowerCase() });
  };
  for (const ch of list) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) angle = true;
    else if (ch === '>' && !quoted) angle = false;
    if (ch === ',' && !quoted && !angle) flush();
    else cur += ch;
  }
  flush();
  return out;
}

export const displayName = (a: Address) => a.name || a.address;

export const EMAIL = /^[^\s@<>(),;:"]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
