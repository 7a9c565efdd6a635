import { StoreError } from '../../domain/index.js';
import type { SearchQuery } from '../../domain/index.js';

/**
 * The backend-neutral reading of a SearchQuery tree: its limits, its dates, and the text and
 * header leaves each backend resolves (maybe asynchronously) before compiling the rest.
 */

const MAX_DEPTH = 32;
const MAX_NODES = 512;

export type HeaderLeaf = Extract<SearchQuery, { type: 'header' }>;
export type TextLeaf = Extract<SearchQuery, { type: 'text' }>;

/** Walks the tree once with the limits applied, calling `visit` on every node. */
export function walkQuery(query: SearchQuery, visit: (q: SearchQuery) => void): void {
  let nodes = 0;
  const walk = (q: SearchQuery, depth: number): void => {
    if (++nodes > MAX_NODES || depth > MAX_DEPTH) throw new StoreError('invalid', 'search query too complex');
    if (!q || typeof q !== 'object') throw new StoreError('invalid', 'invalid search query');
    visit(q);
    if (q.type === 'and' || q.type === 'or') {
      if (!Array.isArray(q.nodes)) throw new StoreError('invalid', 'invalid search query');
      for (const n of q.nodes) walk(n, depth + 1);
    } else if (q.type === 'not') {
      walk(q.node, depth + 1);
    }
  };
  walk(query, 0);
}

/** Validates the tree and resolves each distinct text and header leaf once, in tree order. */
export async function resolveLeaves<R>(
  query: SearchQuery,
  resolveText: (leaf: TextLeaf) => Promise<R>,
  resolveHeader: (leaf: HeaderLeaf) => Promise<R>,
): Promise<Map<SearchQuery, R>> {
  const leaves: Array<TextLeaf | HeaderLeaf> = [];
  walkQuery(query, (q) => {
    if (q.type === 'text' || q.type === 'header') leaves.push(q);
  });
  const resolved = new Map<SearchQuery, R>();
  for (const leaf of leaves) {
    if (resolved.has(leaf)) continue;
    resolved.set(leaf, leaf.type === 'text' ? await resolveText(leaf) : await resolveHeader(leaf));
  }
  return resolved;
}

/** YYYYMMDD -> the UTC midnight that starts it. */
export function dayStartUtc(day: number): number {
  if (!Number.isSafeInteger(day) || day < 101 || day > 99_991_231) throw new StoreError('invalid', 'invalid search date');
  const y = Math.floor(day / 10_000);
  const m = Math.floor(day / 100) % 100;
  const d = day % 100;
  const t = Date.UTC(y, m - 1, d);
  const check = new Date(t);
  if (m < 1 || m > 12 || d < 1 || check.getUTCDate() !== d) throw new StoreError('invalid', 'invalid search date');
  return t;
}
