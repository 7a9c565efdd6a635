import { StoreError } from '../../../domain/index.js';
import { cachedStatement } from '../context.js';
import type { StoreContext } from '../context.js';
import { foldCase, foldForMatch, tokensAt } from '../../search/fold.js';
import { FIELD_COLUMNS, HEADER_NAME, leafValue } from '../../search/leaf-text.js';
import type { HeaderLeaf, TextLeaf } from '../../search/query-tree.js';
import { inColumns, NO_MATCH, substringPlan, wordsExpression } from './fts-expression.js';
import { OWN_COLUMN, UNINDEXED_HEADERS } from '../../search/message-fields.js';
import type { FtsColumn } from './index-text.js';
import { storedView } from './stored-view.js';
import type { ShortField } from './content-fields.js';

export interface Compiled {
  sql: string;
  params: unknown[];
}

/**
 * Where candidates are looked for (a condition on `messages m`: one mailbox, one user) and what
 * the whole query may still verify: one budget for all its leaves, so a tree of many broad
 * leaves is refused instead of running for minutes.
 */
export interface Scope extends Compiled {
  budget: { verify: number };
}

/** Messages one query may verify, over all its leaves (see Scope). */
export const MAX_VERIFY = 200_000;

/** Fields whose substring search is a scan of content_fields (exact, no index, no verification). */
const SHORT_FIELD: Partial<Record<TextLeaf['field'], ShortField>> = {
  subject: 'subject',
  from: 'from_text',
  to: 'to_text',
  cc: 'cc_text',
  bcc: 'bcc_text',
  filename: 'filenames',
};

const ALL: Compiled = { sql: '1', params: [] };
const NONE: Compiled = { sql: '0', params: [] };

function ftsCondition(expr: string): Compiled {
  return { sql: 'm.content_id IN (SELECT rowid FROM content_fts WHERE content_fts MATCH ?)', params: [expr] };
}

function idsCondition(ids: number[]): Compiled {
  return ids.length === 0 ? NONE : { sql: 'm.content_id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(ids)] };
}

/** Content ids in scope matching any of `exprs` (all of scope when null), charged to the query's budget. */
function candidates(ctx: StoreContext, scope: Scope, exprs: string[] | null): number[] {
  let ids: number[];
  if (exprs === null) {
    ids = ctx.db.prepare(`SELECT DISTINCT m.content_id FROM messages m WHERE ${scope.sql} AND m.content_id IS NOT NULL`).pluck().all(...scope.params) as number[];
  } else {
    const stmt = ctx.db.prepare(
      `SELECT DISTINCT m.content_id FROM messages m WHERE ${scope.sql} AND m.content_id IN (SELECT rowid FROM content_fts WHERE content_fts MATCH ?)`,
    );
    const found = new Set<number>();
    for (const e of exprs) for (const id of stmt.pluck().all(...scope.params, e) as number[]) found.add(id);
    ids = [...found].sort((a, b) => a - b);
  }
  scope.budget.verify -= ids.length;
  if (scope.budget.verify < 0) throw new StoreError('invalid', 'search too broad: use longer words');
  return ids;
}

/** Attachment names as content_fields keeps them (already folded). */
function foldedFilenames(ctx: StoreContext, id: number): string {
  return (cachedStatement(ctx.db, 'SELECT filenames FROM content_fields WHERE content_id = ?').pluck().get(id) as string | undefined) ?? '';
}

async function extracted(ctx: StoreContext, id: number, body: boolean): Promise<{ headers: string; body: string } | null> {
  if (!ctx.textExtractor) {
    if (!ctx.warned.has('extractor')) ctx.logger?.warn('no text extractor: substring search answers from the token index alone');
    ctx.warned.add('extractor');
    return null;
  }
  const view = storedView(ctx.db, ctx.blobs, id);
  if (!view) return { headers: '', body: '' };
  return ctx.textExtractor(view, { body });
}

async function verify(ids: number[], test: (id: number) => Promise<boolean>): Promise<number[]> {
  const out: number[] = [];
  for (const id of ids) if (await test(id)) out.push(id);
  return out;
}

/** A `text` leaf as an SQL condition; substring leaves are verified here (async), words are not. */
export async function resolveTextLeaf(ctx: StoreContext, leaf: TextLeaf, scope: Scope): Promise<Compiled> {
  const columns = FIELD_COLUMNS[leaf.field];
  if (columns === undefined) throw new StoreError('invalid', 'unknown text field');
  const raw = leafValue(leaf.value);
  if (raw === '') return ALL;
  if (leaf.match === 'words') {
    const expr = wordsExpression(foldCase(raw));
    if (expr) return ftsCondition(inColumns(columns, expr));
    // Only punctuation: nothing the index knows; read it as a substring instead.
  }
  const needle = foldForMatch(raw);
  const short = SHORT_FIELD[leaf.field];
  if (short) {
    return { sql: `EXISTS (SELECT 1 FROM content_fields f WHERE f.content_id = m.content_id AND instr(f.${short}, ?) > 0)`, params: [needle] };
  }
  const plan = substringPlan(needle, ctx.vocabulary);
  if (plan.expression === NO_MATCH) return NONE;
  const exprs = plan.expression === null ? null : plan.expression.map((e) => inColumns(columns, e));
  if (plan.exact && exprs?.length === 1) return ftsCondition(exprs[0]!);
  const ids = candidates(ctx, scope, exprs);
  if (plan.exact) return idsCondition(ids);
  const whole = leaf.field === 'text';
  return idsCondition(
    await verify(ids, async (id) => {
      const text = await extracted(ctx, id, true);
      if (!text) return true;
      if (foldForMatch(text.body).includes(needle)) return true;
      return whole && (foldForMatch(text.headers).includes(needle) || foldedFilenames(ctx, id).includes(needle));
    }),
  );
}

/** Positions in the compact ENVELOPE array (compact-json.ts). */
const ENVELOPE_POSITION: Record<string, number> = { subject: 1, from: 2, to: 5, cc: 6, bcc: 7 };

/** Values of the fields named `name` in "Name: value" lines. */
function headerValues(headers: string, name: string): string[] {
  const out: string[] = [];
  for (const line of headers.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name) out.push(line.slice(colon + 1));
  }
  return out;
}

/**
 * RFC 3501 HEADER: the named field's unfolded value contains the string, case-insensitively;
 * an empty string means the field is present. Candidates come from the header text in the
 * index (the field name and the value as words); each is verified against the message's own
 * header fields.
 */
export async function resolveHeaderLeaf(ctx: StoreContext, leaf: HeaderLeaf, scope: Scope): Promise<Compiled> {
  const name = String(leaf.name ?? '').trim().toLowerCase();
  if (!HEADER_NAME.test(name)) return NONE;
  const needle = foldForMatch(leafValue(leaf.value));
  const own = OWN_COLUMN.get(name);
  if (own && needle === '') {
    // Presence of an ENVELOPE field: the parser leaves it null exactly when the header is absent.
    return {
      sql: `EXISTS (SELECT 1 FROM contents c2 WHERE c2.id = m.content_id AND json_type(c2.envelope, '$[${ENVELOPE_POSITION[name]!}]') NOT IN ('null'))`,
      params: [],
    };
  }
  const column: FtsColumn = own ?? 'headers';
  const parts: string[] = [];
  if (!UNINDEXED_HEADERS.has(name)) {
    if (needle !== '') {
      const plan = substringPlan(needle, ctx.vocabulary);
      if (plan.expression === NO_MATCH) return NONE;
      // A value expanding into several OR lists is left out of the prefilter; verification decides.
      if (plan.expression !== null && plan.expression.length === 1) parts.push(inColumns([column], plan.expression[0]!));
    }
    // The field name as a phrase only when the value gives nothing: a common name (Message-ID,
    // Received) is in every message and its phrase costs more than it narrows.
    const nameTokens = own || parts.length > 0 ? [] : tokensAt(foldCase(name)).map((t) => t.token);
    if (nameTokens.length > 0) parts.push(inColumns([column], `"${nameTokens.join(' ')}"`));
  }
  const ids = candidates(ctx, scope, parts.length > 0 ? [parts.join(' AND ')] : null);
  return idsCondition(
    await verify(ids, async (id) => {
      const text = await extracted(ctx, id, false);
      if (!text) return true;
      const values = headerValues(text.headers, name);
      return needle === '' ? values.length > 0 : values.some((v) => foldForMatch(v).includes(needle));
    }),
  );
}
