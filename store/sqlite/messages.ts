import { StoreError } from '../../domain/index.js';
import type { AppendResult, DeliveryTarget, Id, MailStore, MessageField, MessageRecord, UidSelector } from '../../domain/index.js';
import { parseId, runWrite } from './context.js';
import type { StoreContext } from './context.js';
import { readChanges } from './journal.js';
import { requireMailbox } from './mailbox-rows.js';
import { insertMessage } from './message-rows.js';
import { insertContent } from './contents.js';
import { prepareContent } from './prepare-content.js';
import { decodeCursor, encodeCursor, fieldSql, rawToRecord, SUMMARY_COLUMNS, SUMMARY_JOIN, toSummary } from './message-records.js';
import type { SummaryRow } from './message-records.js';
import type { MailboxRow } from './rows.js';
import { uidCondition } from './uid-selector.js';
import { cachedStatement } from './context.js';

// Rows per keyset batch: large enough that 50k FETCH FLAGS is a few dozen queries, small enough
// that heavy fields (message bytes) stay bounded in memory.
const LIGHT_BATCH = 2000;
const HEAVY_BATCH = 200;

type MessageMethods = Pick<
  MailStore,
  | 'deliver'
  | 'append'
  | 'listUids'
  | 'getMessages'
  | 'getMessageById'
  | 'findByMessageIdHeader'
  | 'listMessages'
  | 'getChanges'
  | 'getQuota'
>;

function dateMs(d: Date | undefined, fallback: number): number {
  if (d === undefined) return fallback;
  const t = d instanceof Date ? d.getTime() : NaN;
  if (Number.isNaN(t)) throw new StoreError('invalid', 'invalid internal date');
  return t;
}

export function clampLimit(limit: number | undefined, dflt = 50, max = 1000): number {
  const n = Math.floor(Number(limit ?? dflt));
  return Number.isFinite(n) ? Math.min(Math.max(n, 1), max) : dflt;
}

export function createMessageMethods(ctx: StoreContext): MessageMethods {
  const { db } = ctx;

  function targetMailbox(t: DeliveryTarget): MailboxRow {
    const userId = parseId(t.userId);
    if ('mailboxId' in t.mailbox) {
      const row = cachedStatement(db, 'SELECT * FROM mailboxes WHERE id = ? AND user_id = ?').get(parseId(t.mailbox.mailboxId), userId) as MailboxRow | undefined;
      if (!row) throw new StoreError('not_found', 'mailbox not found');
      return row;
    }
    const row =
      (cachedStatement(db, 'SELECT * FROM mailboxes WHERE user_id = ? AND special_use = ? ORDER BY id LIMIT 1').get(userId, t.mailbox.specialUse) as MailboxRow | undefined) ??
      // A user who deleted Junk (say) still gets the mail, in INBOX.
      (cachedStatement(db, "SELECT * FROM mailboxes WHERE user_id = ? AND path = 'INBOX'").get(userId) as MailboxRow | undefined);
    if (!row) throw new StoreError('not_found', 'user not found');
    return row;
  }

  return {
    async deliver(message, targets, opts = {}) {
      if (!Array.isArray(targets) || targets.length === 0) throw new StoreError('invalid', 'no delivery targets');
      const internalDate = dateMs(opts.internalDate, ctx.now());
      const input = await prepareContent(message);
      return runWrite(ctx, (fx) => {
        // Resolve every target first: a bad one fails the delivery before anything is written.
        const boxes = targets.map(targetMailbox);
        // One content for every recipient: the bytes and the index entry are stored once.
        const contentId = insertContent(db, fx, ctx.vocabulary, input);
        const savedAt = ctx.now();
        return boxes.map((mb, i) => insertMessage(db, fx, mb, message, contentId, { flags: targets[i]!.flags ?? [], internalDate, savedAt }));
      });
    },

    async append(userId, mailboxId, message, opts = {}): Promise<AppendResult> {
      const internalDate = dateMs(opts.internalDate, ctx.now());
      const input = await prepareContent(message);
      return runWrite(ctx, (fx) => {
        const uid = parseId(userId);
        const mb = cachedStatement(db, 'SELECT * FROM mailboxes WHERE id = ? AND user_id = ?').get(parseId(mailboxId), uid) as MailboxRow | undefined;
        if (!mb) throw new StoreError('not_found', 'mailbox not found');
        const user = cachedStatement(db, 'SELECT quota, storage_used FROM users WHERE id = ?').get(uid) as { quota: number; storage_used: number };
        if (user.quota > 0 && user.storage_used + message.size > user.quota) throw new StoreError('quota_exceeded', 'quota exceeded');
        const contentId = insertContent(db, fx, ctx.vocabulary, input);
        return insertMessage(db, fx, mb, message, contentId, { flags: opts.flags ?? [], internalDate, savedAt: ctx.now() });
      });
    },

    async listUids(mailboxId) {
      const mb = requireMailbox(db, parseId(mailboxId));
      return db.prepare('SELECT uid FROM messages WHERE mailbox_id = ? ORDER BY uid').pluck().all(mb.id) as number[];
    },

    getMessages(mailboxId: Id, uids: UidSelector, opts: { fields?: MessageField[]; changedSince?: number } = {}): AsyncIterable<MessageRecord> {
      const cond = uidCondition(uids, 'm.');
      const { columns, joins, extra } = fieldSql(opts.fields);
      const since = opts.changedSince;
      const batch = extra.length > 0 ? HEAVY_BATCH : LIGHT_BATCH;
      const sql =
        `SELECT ${columns} FROM messages m${joins} WHERE m.mailbox_id = ? AND ${cond.sql} AND m.uid > ?` +
        (since !== undefined ? ' AND m.modseq > ?' : '') +
        ` ORDER BY m.uid LIMIT ${batch}`;
      return {
        async *[Symbol.asyncIterator]() {
          const mb = requireMailbox(db, parseId(mailboxId));
          const stmt = db.prepare(sql).raw();
          // Keyset batches: no statement stays open across a yield, so writers are never blocked by a slow reader.
          let after = 0;
          for (;;) {
            const params: unknown[] = [mb.id, ...cond.params, after];
            if (since !== undefined) params.push(since);
            const rows = stmt.all(...params) as unknown[][];
            const records = rows.map((r) => rawToRecord(db, r, extra));
            yield* records;
            if (rows.length < batch) return;
            after = records[records.length - 1]!.uid;
          }
        },
      };
    },

    async getMessageById(userId, messageId, fields) {
      const { columns, joins, extra } = fieldSql(fields);
      const row = db
        .prepare(`SELECT ${columns} FROM messages m${joins} WHERE m.id = ? AND m.user_id = ?`)
        .raw()
        .get(parseId(messageId), parseId(userId)) as unknown[] | undefined;
      return row ? rawToRecord(db, row, extra) : null;
    },

    async findByMessageIdHeader(mailboxId, messageIdHeader, opts = {}) {
      if (typeof messageIdHeader !== 'string' || messageIdHeader.length === 0) return null;
      const since = opts.savedSince instanceof Date && !Number.isNaN(opts.savedSince.getTime()) ? opts.savedSince.getTime() : 0;
      // INDEXED BY: left to itself the planner walks the (mailbox_id, uid) key in UID order to skip
      // the sort, reading the whole mailbox when the ID is absent (6 ms at 12,000 messages, so an
      // import grew quadratic); the Message-ID index finds the few rows with that ID.
      const uid = cachedStatement(
        db,
        'SELECT uid FROM messages INDEXED BY messages_msgid WHERE message_id_header = ? AND mailbox_id = ? AND saved_at >= ? ORDER BY uid LIMIT 1',
      )
        .pluck()
        .get(messageIdHeader.slice(0, 998), parseId(mailboxId), since) as number | undefined;
      return uid ?? null;
    },

    async listMessages(mailboxId, opts = {}) {
      const mb = requireMailbox(db, parseId(mailboxId));
      const limit = clampLimit(opts.limit);
      const cursor = decodeCursor(opts.cursor, 1);
      const rows = db
        .prepare(
          `SELECT ${SUMMARY_COLUMNS} FROM messages m${SUMMARY_JOIN}
           WHERE m.mailbox_id = ? AND m.uid < ? ORDER BY m.uid DESC LIMIT ?`,
        )
        .all(mb.id, cursor ? cursor[0] : Number.MAX_SAFE_INTEGER, limit + 1) as SummaryRow[];
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      return { items: page.map(toSummary), nextCursor: more ? encodeCursor([page[page.length - 1]!.uid]) : null };
    },

    async getChanges(mailboxId, sinceModseq) {
      const mb = requireMailbox(db, parseId(mailboxId));
      return readChanges(db, mb.id, Number(sinceModseq) || 0);
    },

    async getQuota(userId) {
      const row = cachedStatement(db, 'SELECT quota, storage_used FROM users WHERE id = ?').get(parseId(userId)) as { quota: number; storage_used: number } | undefined;
      if (!row) throw new StoreError('not_found', 'user not found');
      return { used: row.storage_used, limit: row.quota };
    },
  };
}
