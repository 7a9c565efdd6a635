import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../domain/clock.js';
import type { ClaimOptions, ClaimedEntry, EnqueueInput, QueueEntry, QueueStore } from '../../../domain/queue.js';
import type { SqliteDb } from '../db.js';
import { ENTRY_COLUMNS, rowId, toClaimed, toEntry, type EntryRow } from './queue-rows.js';
import { migrateQueue } from './schema.js';
import { cachedStatement } from '../context.js';
import { recipientsByDomain } from '../../queue-recipients.js';

/**
 * QueueStore on the shared SQLite handle. Every write is one IMMEDIATE transaction; with
 * synchronous=FULL a resolved promise means the change survived power loss.
 */
export function createSqliteQueueStore(db: SqliteDb, clock?: Clock): QueueStore {
  migrateQueue(db);
  const nowMs = (d?: Date) => (d ?? clock?.now() ?? new Date()).getTime();

  const insertMessage = db.prepare('INSERT INTO queue_messages (sender, user_id, kind, size, raw, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insertEntry = db.prepare('INSERT INTO queue_entries (message_id, domain, recipients, next_attempt_at) VALUES (?, ?, ?, ?)');
  const selectEntry = db.prepare(`SELECT ${ENTRY_COLUMNS} FROM queue_entries e JOIN queue_messages m ON m.id = e.message_id WHERE e.id = ?`);
  const selectDue = db.prepare(
    `SELECT ${ENTRY_COLUMNS} FROM queue_entries e JOIN queue_messages m ON m.id = e.message_id
     WHERE e.next_attempt_at <= ? AND (e.lease_until IS NULL OR e.lease_until <= ?)
     ORDER BY e.next_attempt_at, e.id LIMIT ?`,
  );
  const leasedByDomain = db.prepare('SELECT domain, COUNT(*) AS n FROM queue_entries WHERE lease_until > ? GROUP BY domain');
  const setLease = db.prepare('UPDATE queue_entries SET lease = ?, lease_until = ? WHERE id = ?');
  const deleteOwned = db.prepare('DELETE FROM queue_entries WHERE id = ? AND lease = ?');
  const deleteAny = db.prepare('DELETE FROM queue_entries WHERE id = ?');
  const messageOf = db.prepare('SELECT message_id FROM queue_entries WHERE id = ?').pluck();
  const deleteOrphan = db.prepare('DELETE FROM queue_messages WHERE id = ? AND NOT EXISTS (SELECT 1 FROM queue_entries WHERE message_id = ?)');
  const deferOwned = db.prepare(
    'UPDATE queue_entries SET recipients = ?, next_attempt_at = ?, last_error = ?, attempts = attempts + 1, lease = NULL, lease_until = NULL WHERE id = ? AND lease = ?',
  );
  const readRaw = db.prepare('SELECT raw FROM queue_messages WHERE id = ?').pluck();

  const removeEntry = (id: number, lease: string | null): boolean =>
    db.transaction(() => {
      const messageId = messageOf.get(id) as number | undefined;
      if (messageId === undefined) return false;
      const res = lease === null ? deleteAny.run(id) : deleteOwned.run(id, lease);
      if (res.changes === 0) return false;
      deleteOrphan.run(messageId, messageId);
      return true;
    }).immediate();

  return {
    async enqueue(input: EnqueueInput): Promise<QueueEntry[]> {
      const byDomain = recipientsByDomain(input.recipients);
      const now = nowMs();
      const due = input.notBefore ? input.notBefore.getTime() : now;
      const ids = db.transaction(() => {
        const mid = insertMessage.run(input.sender, input.userId ?? null, input.kind ?? 'mail', input.raw.length, input.raw, now).lastInsertRowid;
        return [...byDomain].map(([domain, rcpts]) => insertEntry.run(mid, domain, JSON.stringify(rcpts), due).lastInsertRowid);
      }).immediate();
      return ids.map((id) => toEntry(selectEntry.get(id) as EntryRow, now));
    },

    async claim(opts: ClaimOptions): Promise<ClaimedEntry[]> {
      const now = nowMs(opts.now);
      const leaseUntil = now + opts.leaseMs;
      return db.transaction(() => {
        const inFlight = new Map<string, number>();
        if (opts.maxPerDomain > 0) {
          // Leases held elsewhere count too, so two workers on one database share the cap.
          for (const r of leasedByDomain.all(now) as Array<{ domain: string; n: number }>) inFlight.set(r.domain, r.n);
          for (const [d, n] of Object.entries(opts.active ?? {})) inFlight.set(d, Math.max(inFlight.get(d) ?? 0, n));
        }
        const out: ClaimedEntry[] = [];
        // Look past a busy domain's backlog, but boundedly.
        const candidates = selectDue.all(now, now, Math.max(opts.limit * 20, 100)) as EntryRow[];
        for (const row of candidates) {
          if (out.length >= opts.limit) break;
          if (opts.maxPerDomain > 0) {
            const n = inFlight.get(row.domain) ?? 0;
            if (n >= opts.maxPerDomain) continue;
            inFlight.set(row.domain, n + 1);
          }
          const lease = randomUUID();
          setLease.run(lease, leaseUntil, row.id);
          out.push(toClaimed(row, lease, leaseUntil));
        }
        return out;
      }).immediate();
    },

    async readMessage(messageId) {
      const id = rowId(messageId);
      if (id === null) return null;
      const raw = readRaw.get(id) as Buffer | undefined;
      return raw ?? null;
    },

    async complete(id, lease) {
      const n = rowId(id);
      return n === null ? false : removeEntry(n, lease);
    },

    async fail(id, lease) {
      const n = rowId(id);
      return n === null ? false : removeEntry(n, lease);
    },

    async defer(id, lease, update) {
      const n = rowId(id);
      if (n === null) return false;
      if (update.recipients.length === 0) return removeEntry(n, lease);
      const res = db
        .transaction(() => deferOwned.run(JSON.stringify(update.recipients), update.nextAttemptAt.getTime(), update.error.slice(0, 1000), n, lease))
        .immediate();
      return res.changes > 0;
    },

    async get(id) {
      const n = rowId(id);
      if (n === null) return null;
      const row = selectEntry.get(n) as EntryRow | undefined;
      return row ? toEntry(row, nowMs()) : null;
    },

    async list(opts = {}) {
      const limit = Math.min(Math.max(opts.limit ?? 100, 1), 10_000);
      const offset = Math.max(opts.offset ?? 0, 0);
      const rows = (
        opts.domain
          ? db.prepare(`SELECT ${ENTRY_COLUMNS} FROM queue_entries e JOIN queue_messages m ON m.id = e.message_id WHERE e.domain = ? ORDER BY e.id LIMIT ? OFFSET ?`).all(opts.domain.toLowerCase(), limit, offset)
          : db.prepare(`SELECT ${ENTRY_COLUMNS} FROM queue_entries e JOIN queue_messages m ON m.id = e.message_id ORDER BY e.id LIMIT ? OFFSET ?`).all(limit, offset)
      ) as EntryRow[];
      const now = nowMs();
      return rows.map((r) => toEntry(r, now));
    },

    async count() {
      return db.prepare('SELECT COUNT(*) FROM queue_entries').pluck().get() as number;
    },

    async flush(id, now) {
      const t = nowMs(now);
      if (id !== undefined) {
        const n = rowId(id);
        if (n === null) return 0;
        return db.transaction(() => cachedStatement(db, 'UPDATE queue_entries SET next_attempt_at = ? WHERE id = ?').run(t, n).changes).immediate();
      }
      return db.transaction(() => cachedStatement(db, 'UPDATE queue_entries SET next_attempt_at = ? WHERE next_attempt_at > ?').run(t, t).changes).immediate();
    },

    async delete(id) {
      const n = rowId(id);
      return n === null ? false : removeEntry(n, null);
    },

    async nextDue() {
      const t = db.prepare('SELECT MIN(MAX(next_attempt_at, COALESCE(lease_until, 0))) FROM queue_entries').pluck().get() as number | null;
      return t === null ? null : new Date(t);
    },
  };
}
