import type { Clock } from '../../../domain/clock.js';
import type { VacationLog } from '../../../domain/vacation-log.js';
import type { SqliteDb } from '../db.js';
import { migrateQueue } from './schema.js';
import { cachedStatement } from '../context.js';

/** VacationLog in the queue area's `vacation_replies` table. */
export function createSqliteVacationLog(db: SqliteDb, clock?: Clock): VacationLog {
  migrateQueue(db);
  const get = db.prepare('SELECT replied_at FROM vacation_replies WHERE user_id = ? AND sender = ?').pluck();
  const put = db.prepare(
    'INSERT INTO vacation_replies (user_id, sender, replied_at) VALUES (?, ?, ?) ON CONFLICT(user_id, sender) DO UPDATE SET replied_at = excluded.replied_at',
  );
  return {
    async claimReply(userId, sender, periodMs, now) {
      const t = (now ?? clock?.now() ?? new Date()).getTime();
      const key = sender.toLowerCase();
      return db
        .transaction(() => {
          const last = get.get(userId, key) as number | undefined;
          if (last !== undefined && last > t - periodMs) return false;
          put.run(userId, key, t);
          return true;
        })
        .immediate();
    },
    async reset(userId) {
      db.transaction(() => cachedStatement(db, 'DELETE FROM vacation_replies WHERE user_id = ?').run(userId)).immediate();
    },
  };
}
