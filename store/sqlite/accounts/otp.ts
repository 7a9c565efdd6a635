import { randomBytes } from 'node:crypto';
import type { SqliteDb } from '../db.js';
import type { OtpCheck, OtpCode, OtpPurpose, SecondFactor } from '../../../domain/account-store.js';
import type { Id } from '../../../domain/ids.js';
import { hashOtp, otpMatches } from '../../account-secrets.js';

interface OtpRow {
  id: string;
  user_id: string;
  purpose: string;
  method: string;
  code_hash: string | null;
  created_at: number;
  expires_at: number;
  attempts: number;
  consumed: number;
}

function toCode(r: OtpRow): OtpCode {
  return {
    id: r.id,
    userId: r.user_id,
    purpose: r.purpose as OtpPurpose,
    method: r.method as SecondFactor,
    createdAt: new Date(r.created_at),
    expiresAt: new Date(r.expires_at),
    attempts: r.attempts,
    consumed: r.consumed !== 0,
  };
}

/** One-time codes and login challenges (same table: a challenge is a 'login' code with an id). */
export function createOtpTable(db: SqliteDb) {
  const insert = db.prepare(
    'INSERT INTO otp_codes (id, user_id, purpose, method, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const voidOthers = db.prepare('UPDATE otp_codes SET consumed = 1 WHERE user_id = ? AND purpose = ? AND consumed = 0');
  const byId = db.prepare('SELECT * FROM otp_codes WHERE id = ?');
  const latest = db.prepare(
    'SELECT * FROM otp_codes WHERE user_id = ? AND purpose = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
  );
  const countAttempt = db.prepare('UPDATE otp_codes SET attempts = attempts + 1 WHERE id = ?');
  const consume = db.prepare('UPDATE otp_codes SET consumed = 1 WHERE id = ? AND consumed = 0');
  const purge = db.prepare('DELETE FROM otp_codes WHERE expires_at < ?');

  return {
    createOtp(input: { userId: Id; purpose: OtpPurpose; method: SecondFactor; code: string | null; ttlMs: number; now?: Date }): OtpCode {
      const now = (input.now ?? new Date()).getTime();
      const id = randomBytes(18).toString('base64url');
      db.transaction(() => {
        voidOthers.run(input.userId, input.purpose);
        // Codes a day past their expiry serve nothing, not even cooldowns.
        purge.run(now - 86_400_000);
        insert.run(id, input.userId, input.purpose, input.method, input.code === null ? null : hashOtp(input.code), now, now + input.ttlMs);
      })();
      return toCode(byId.get(id) as OtpRow);
    },
    getOtp(id: Id): OtpCode | null {
      const r = byId.get(id) as OtpRow | undefined;
      return r ? toCode(r) : null;
    },
    latestOtp(userId: Id, purpose: OtpPurpose): OtpCode | null {
      const r = latest.get(userId, purpose) as OtpRow | undefined;
      return r ? toCode(r) : null;
    },
    async checkOtp(
      ref: { id: Id } | { userId: Id; purpose: OtpPurpose },
      code: string,
      opts: { maxAttempts: number; now?: Date; verify?: (code: string) => Promise<boolean> },
    ): Promise<OtpCheck> {
      const row = ('id' in ref ? byId.get(ref.id) : latest.get(ref.userId, ref.purpose)) as OtpRow | undefined;
      if (!row) return { result: 'not_found' };
      if (row.attempts >= opts.maxAttempts) return { result: 'locked' };
      if (row.consumed) return { result: 'not_found' };
      const now = (opts.now ?? new Date()).getTime();
      if (row.expires_at <= now) return { result: 'expired' };
      const good = row.code_hash !== null ? otpMatches(row.code_hash, code) : opts.verify ? await opts.verify(code) : false;
      if (!good) {
        countAttempt.run(row.id);
        const left = opts.maxAttempts - row.attempts - 1;
        return left <= 0 ? { result: 'locked' } : { result: 'invalid', attemptsLeft: left };
      }
      // The UPDATE's row count settles a race between two requests presenting the same code.
      if (consume.run(row.id).changes !== 1) return { result: 'not_found' };
      return { result: 'ok', code: toCode({ ...row, consumed: 1 }) };
    },
  };
}
