import type { SqliteDb } from '../db.js';
import { cachedStatement } from '../context.js';
import type { WriteEffects } from '../context.js';
import { distinctTokens, foldCase } from '../../search/fold.js';
import { SEARCH_COLUMNS } from '../../search/leaf-text.js';
import type { SearchColumn } from '../../search/leaf-text.js';
import type { FieldValues } from '../../search/message-fields.js';
import type { Vocabulary } from './vocabulary.js';

/** Columns of content_fts, in table order. */
export const FTS_COLUMNS = SEARCH_COLUMNS;
export type FtsColumn = SearchColumn;

const MAX_TOKEN = 256;

/** Distinct folded tokens of every column: new ones go to the vocabulary (search_terms). */
export function searchTokens(fields: FieldValues): string[] {
  const set = new Set<string>();
  for (const c of FTS_COLUMNS) distinctTokens(foldCase(fields[c]), set);
  const out: string[] = [];
  for (const t of set) if (t.length <= MAX_TOKEN) out.push(t);
  return out;
}

/** Indexes content `id`: in a group commit, with the group's other rows at its end (WriteEffects.groupIndex). */
export function indexContent(db: SqliteDb, fx: WriteEffects, vocabulary: Vocabulary, id: number, fields: FieldValues, tokens: string[]): void {
  const values = FTS_COLUMNS.map((c) => fields[c]);
  const insert = () =>
    void cachedStatement(
      db,
      `INSERT INTO content_fts (rowid, ${FTS_COLUMNS.join(', ')}) VALUES (?, ${FTS_COLUMNS.map(() => '?').join(', ')})`,
    ).run(id, ...values);
  const group = fx.groupIndex;
  if (group) {
    group.set(id, insert);
    (fx.undo ??= []).push(() => group.delete(id));
  } else insert();
  vocabulary.add(db, fx, tokens, id);
}

export function unindexContents(db: SqliteDb, fx: WriteEffects, ids: readonly number[]): void {
  // contentless_delete=1: a row is deleted by rowid alone, no copy of its text needed.
  const del = cachedStatement(db, 'DELETE FROM content_fts WHERE rowid = ?');
  const group = fx.groupIndex;
  for (const id of ids) {
    // Delivered and deleted within one group commit: its row was never written.
    const insert = group?.get(id);
    if (group && insert) {
      group.delete(id);
      (fx.undo ??= []).push(() => group.set(id, insert));
    } else del.run(id);
  }
}
