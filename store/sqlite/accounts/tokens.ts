import type { SqliteDb } from '../db.js';
import type { IssuedToken } from '../../../domain/account-store.js';
import type { Id } from '../../../domain/ids.js';

interface TokenRow {
  jti: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  revoked: number;
}

function toToken(r: TokenRow): IssuedToken {
  return { jti: r.jti, userId: r.user_id, createdAt: new Date(r.created_at), expiresAt: new Date(r.expires_at), revoked: r.revoked !== 0 };
}

/** The issued-token table: what logout revokes and what the gateway's token cache reads through. */
export function createTokenTable(db: SqliteDb) {
  const insert = db.prepare('INSERT INTO api_tokens (jti, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)');
  const get = db.prepare('SELECT * FROM api_tokens WHERE jti = ?');
  const revoke = db.prepare('UPDATE api_tokens SET revoked = 1 WHERE jti = ?');
  const revokeUser = db.prepare('UPDATE api_tokens SET revoked = 1 WHERE user_id = ? AND revoked = 0');
  const listLive = db.prepare('SELECT * FROM api_tokens WHERE user_id = ? AND revoked = 0 AND expires_at > ? ORDER BY created_at DESC LIMIT 500');
  const purge = db.prepare('DELETE FROM api_tokens WHERE expires_at < ?');
  return {
    recordToken(t: { jti: string; userId: Id; createdAt: Date; expiresAt: Date }): void {
      db.transaction(() => {
        purge.run(Date.now() - 86_400_000);
        insert.run(t.jti, t.userId, t.createdAt.getTime(), t.expiresAt.getTime());
      })();
    },
    getToken(jti: string): IssuedToken | null {
      const r = get.get(jti) as TokenRow | undefined;
      return r ? toToken(r) : null;
    },
    listTokens(userId: Id, now = new Date()): IssuedToken[] {
      return (listLive.all(userId, now.getTime()) as TokenRow[]).map(toToken);
    },
    revokeToken(jti: string): void {
      revoke.run(jti);
    },
    revokeUserTokens(userId: Id): number {
      return revokeUser.run(userId).changes;
    },
  };
}
