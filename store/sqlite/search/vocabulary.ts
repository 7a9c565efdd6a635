import type { SqliteDb } from '../db.js';
import type { WriteEffects } from '../context.js';
import { cachedStatement } from '../context.js';

/**
 * The vocabulary of content_fts, for IMAP substring search (RFC 3501 6.4.4): a query part that
 * may sit inside a word ("sdfghjk" in "asdfghjkl") is expanded into the indexed terms that
 * contain it, and the index is asked for those. FTS5's own fts5vocab table would answer but
 * reads every doclist (about a second for 190k terms), so the store keeps the terms itself:
 * `search_terms` on disk (written in the same transaction as the index rows) and in memory a
 * bounded cache of terms known to be there (so indexing a message sends few of its tokens to
 * SQLite) and, once a search needs it, one newline-separated string scanned with indexOf.
 *
 * Freshness: the search copy covers every content up to `covered` (an EMAILID). Contents this
 * process commits extend it; a content id it did not write (another process on the same file)
 * makes the next lookup reload the terms. A term the cache does not hold (added by another
 * process, or aged out) is only written again: INSERT OR IGNORE, and RETURNING tells which terms
 * were really new. Terms are never removed: a term left behind by deleted mail only costs a
 * lookup that finds nothing.
 */
export interface Vocabulary {
  /** Inside the write transaction that indexes content `contentId`. */
  add(db: SqliteDb, fx: WriteEffects, tokens: readonly string[], contentId: number): void;
  /** Indexed terms containing `part` ('infix') or ending with it ('suffix'); null when more than `limit`. */
  find(part: string, mode: 'infix' | 'suffix', limit: number): string[] | null;
}

/** Terms collected since the last rebuild of the big string are searched apart. */
const PENDING_REBUILD = 4096;

/**
 * Terms the cache of known terms holds at most (~64 bytes each). Mail's tokens are Zipf-like: a
 * few thousand common words make up most of each message, and a long tail of one-off terms (ids,
 * names) keeps coming (~5 new per message, 600k terms at 100k generated messages), which a set
 * of every term would keep for the life of the process. Measured against that set (5 Dec 2026,
 * 210k terms): 59 instead of 43 us per message indexed; with no cache at all, 180 us.
 */
export const KNOWN_TERMS = 65_536;

/**
 * Two generations of up to max/2 terms: a term found in the older one is copied to the newer,
 * so the terms most messages use stay while one-off terms age out with their generation.
 */
function knownTermCache(max: number): { has(term: string): boolean; add(term: string): void } {
  let recent = new Set<string>();
  let older = new Set<string>();
  const add = (term: string) => {
    if (recent.size >= max / 2) {
      older = recent;
      recent = new Set();
    }
    recent.add(term);
  };
  return {
    has(term) {
      if (recent.has(term)) return true;
      if (!older.has(term)) return false;
      add(term);
      return true;
    },
    add,
  };
}

export function createVocabulary(db: SqliteDb, opts: { knownTerms?: number } = {}): Vocabulary {
  const known = knownTermCache(opts.knownTerms ?? KNOWN_TERMS);
  let text: string | null = null;
  let pending: string[] = [];
  let covered = 0;
  let stale = false;

  function highestContentId(): number {
    return (cachedStatement(db, "SELECT seq FROM sqlite_sequence WHERE name = 'contents'").pluck().get() as number | undefined) ?? 0;
  }

  function allTerms(): string[] {
    return db.prepare('SELECT term FROM search_terms').pluck().all() as string[];
  }

  function load(): void {
    // One read transaction: the terms and the id they cover come from the same snapshot.
    db.transaction(() => {
      covered = highestContentId();
      const terms = allTerms();
      text = terms.length > 0 ? `\n${terms.join('\n')}\n` : '\n';
    })();
    pending = [];
    stale = false;
  }

  function rebuild(): void {
    if (pending.length === 0) return;
    text = `${text ?? '\n'}${pending.join('\n')}\n`;
    pending = [];
  }

  return {
    add(conn, fx, tokens, contentId) {
      const unknown = tokens.filter((t) => !known.has(t));
      const fresh =
        unknown.length === 0
          ? []
          : (cachedStatement(conn, 'INSERT OR IGNORE INTO search_terms (term) SELECT value FROM json_each(?) RETURNING term').pluck().all(JSON.stringify(unknown)) as string[]);
      (fx.afterCommit ??= []).push(() => {
        for (const t of unknown) known.add(t);
        if (text === null) return;
        for (const t of fresh) pending.push(t);
        if (pending.length >= PENDING_REBUILD) rebuild();
        if (contentId === covered + 1) covered = contentId;
        else if (contentId > covered) stale = true;
      });
    },

    find(part, mode, limit) {
      if (text === null || stale || highestContentId() > covered) load();
      const out = new Set<string>();
      const keep = (term: string): boolean => {
        if (mode === 'suffix' && !term.endsWith(part)) return true;
        out.add(term);
        return out.size <= limit;
      };
      const all = text!;
      let i = all.indexOf(part);
      while (i !== -1) {
        const start = all.lastIndexOf('\n', i) + 1;
        const end = all.indexOf('\n', i);
        if (!keep(all.slice(start, end))) return null;
        i = all.indexOf(part, end);
      }
      for (const term of pending) if (term.includes(part) && !keep(term)) return null;
      return [...out];
    },
  };
}
