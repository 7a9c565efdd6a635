import type { SqliteDb } from '../db.js';
import type { AuditEntry } from '../../../domain/account-store.js';
import type { Id } from '../../../domain/ids.js';

interface Row {
  id: number;
  user_id: string | null;
  action: string;
  ip: string | null;
  details: string;
  created_at: number;
}

/** Append-only record of security-relevant account events (logins, OTP failures, admin actions). */
export function createAuditTable(db: SqliteDb) {
  const insert = db.prepare('INSERT INTO audit_log (user_id, action, ip, details, created_at) VALUES (?, ?, ?, ?, ?)');
  const byUser = db.prepare('SELECT * FROM audit_log WHERE user_id = ? ORDER BY id DESC LIMIT ?');
  const all = db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?');
  return {
    audit(e: { userId: Id | null; action: string; ip?: string | null; details?: Record<string, unknown> }): void {
      insert.run(e.userId, e.action, e.ip ?? null, JSON.stringify(e.details ?? {}), Date.now());
    },
    listAudit(opts: { userId?: Id; limit?: number } = {}): AuditEntry[] {
      const limit = opts.limit ?? 100;
      const rows = (opts.userId !== undefined ? byUser.all(opts.userId, limit) : all.all(limit)) as Row[];
      return rows.map((r) => ({
        id: String(r.id),
        userId: r.user_id,
        action: r.action,
        ip: r.ip,
        details: JSON.parse(r.details) as Record<string, unknown>,
        createdAt: new Date(r.created_at),
      }));
    },
  };
}
