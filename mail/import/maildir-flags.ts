/**
 * Maildir file-name flags (cr.yp.to/proto/maildir.html, the ":2," info): D draft, F flagged,
 * P passed (forwarded), R replied, S seen, T trashed; Dovecot's lower-case letters a-z are
 * keywords numbered in the folder's dovecot-keywords file.
 */
const LETTERS: Record<string, string> = { D: '\\Draft', F: '\\Flagged', P: '$Forwarded', R: '\\Answered', S: '\\Seen', T: '\\Deleted' };

export function flagsFromFileName(name: string, keywords: readonly string[]): string[] {
  const i = name.lastIndexOf(':2,');
  if (i === -1) return [];
  const flags: string[] = [];
  for (const c of name.slice(i + 3)) {
    if (LETTERS[c]) flags.push(LETTERS[c]!);
    else if (c >= 'a' && c <= 'z') {
      const k = keywords[c.charCodeAt(0) - 97];
      if (k) flags.push(k);
    }
  }
  return [...new Set(flags)];
}

/** The info suffix for a message's flags, letters in ASCII order as the spec asks. */
export function fileNameFlags(flags: readonly string[], keywordIndex: (keyword: string) => number | null): string {
  const letters: string[] = [];
  for (const [letter, flag] of Object.entries(LETTERS)) if (flags.includes(flag)) letters.push(letter);
  for (const f of flags) {
    if (f.startsWith('\\') || Object.values(LETTERS).includes(f)) continue;
    const i = keywordIndex(f);
    if (i !== null && i < 26) letters.push(String.fromCharCode(97 + i));
  }
  return `:2,${letters.sort().join('')}`;
}

/** dovecot-keywords: "<index> <keyword>" per line. */
export function parseDovecotKeywords(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d{1,2}) (\S+)$/.exec(line.trim());
    if (m && Number(m[1]) < 26) out[Number(m[1])] = m[2]!;
  }
  return out;
}
