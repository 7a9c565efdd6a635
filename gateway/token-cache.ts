import { createSecretKey, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { AccountStore } from '../domain/account-store.js';
import type { ClusterBus } from '../domain/cluster.js';
import type { Id } from '../domain/ids.js';
import { unauthorized } from './api-error.js';

export interface AuthInfo {
  userId: Id;
  jti: string;
  expiresAt: Date;
}

export interface TokenVerifier {
  /** Verifies signature and expiry, then the token table through the cache. 401 `unauthorized` on any failure. */
  verify(token: string): Promise<AuthInfo>;
  /** Issues a token and records it before returning it (so it is valid the moment the caller has it). */
  issue(userId: Id): Promise<{ token: string; jti: string; expiresAt: Date }>;
  revoke(jti: string): Promise<void>;
  revokeUser(userId: Id): Promise<void>;
  /** A rotated signing secret (every node is told through the cluster bus): tokens signed with the old one stop working. */
  rekey(secret: string): void;
}

interface Entry {
  userId: Id;
  revoked: boolean;
  expiresAt: number;
  checkedAt: number;
}

/**
 * JWTs (HS256 only: pinning the algorithm stops `alg: none` and key-confusion tricks) plus the
 * token table. Lookups go through an LRU cache. Revocations on this node update the cache at
 * once; those of other nodes arrive on the cluster bus (server/ makes the account store announce
 * every revocation there), and without a bus within `cacheTtlMs`.
 */
export function createTokenVerifier(opts: {
  secret: string;
  accounts: AccountStore;
  ttlSec?: number;
  cacheTtlMs?: number;
  cacheSize?: number;
  issuer?: string;
  /** Revocations made anywhere in the cluster (HERON_REDIS_URL: Redis pub/sub). */
  bus?: ClusterBus;
}): TokenVerifier {
  const ttlSec = opts.ttlSec ?? 7 * 86_400;
  const cacheTtl = opts.cacheTtlMs ?? 30_000;
  const max = opts.cacheSize ?? 10_000;
  const issuer = opts.issuer ?? 'heron';
  const cache = new Map<string, Entry>();
  // jsonwebtoken turns a string secret into a KeyObject on every call (by trying to parse it as a
  // PEM public key first); doing it once is most of the per-request cost.
  let key = createSecretKey(Buffer.from(opts.secret, 'utf8'));

  const markRevoked = (match: (jti: string, e: Entry) => boolean) => {
    for (const [jti, e] of cache) if (match(jti, e)) e.revoked = true;
  };
  opts.bus?.subscribe((event) => {
    if (event.type === 'token-revoked') {
      const e = cache.get(event.jti);
      if (e) e.revoked = true;
    } else if (event.type === 'user-tokens-revoked') {
      markRevoked((_jti, e) => e.userId === event.userId);
    }
  });

  function remember(jti: string, e: Entry): void {
    cache.delete(jti);
    cache.set(jti, e);
    if (cache.size > max) cache.delete(cache.keys().next().value as string);
  }

  return {
    async verify(token) {
      let payload: jwt.JwtPayload;
      try {
        const p = jwt.verify(token, key, { algorithms: ['HS256'], issuer });
        if (typeof p === 'string') throw new Error('string payload');
        payload = p;
      } catch (err) {
        throw unauthorized((err as Error).name === 'TokenExpiredError' ? 'token expired' : 'invalid token');
      }
      const jti = payload.jti;
      const sub = payload.sub;
      if (typeof jti !== 'string' || typeof sub !== 'string') throw unauthorized('invalid token');
      const now = Date.now();
      let e = cache.get(jti);
      if (!e || now - e.checkedAt >= cacheTtl) {
        const row = await opts.accounts.getToken(jti);
        if (!row) throw unauthorized('unknown token');
        e = { userId: row.userId, revoked: row.revoked, expiresAt: row.expiresAt.getTime(), checkedAt: now };
        remember(jti, e);
      }
      if (e.revoked) throw unauthorized('token revoked');
      if (e.expiresAt <= now || e.userId !== sub) throw unauthorized('invalid token');
      return { userId: e.userId, jti, expiresAt: new Date(e.expiresAt) };
    },
    async issue(userId) {
      const jti = randomUUID();
      const createdAt = new Date();
      const expiresAt = new Date(createdAt.getTime() + ttlSec * 1000);
      await opts.accounts.recordToken({ jti, userId, createdAt, expiresAt });
      const token = jwt.sign({}, key, { algorithm: 'HS256', subject: userId, jwtid: jti, issuer, expiresIn: ttlSec });
      remember(jti, { userId, revoked: false, expiresAt: expiresAt.getTime(), checkedAt: createdAt.getTime() });
      return { token, jti, expiresAt };
    },
    async revoke(jti) {
      await opts.accounts.revokeToken(jti);
      const e = cache.get(jti);
      if (e) e.revoked = true;
    },
    rekey(secret) {
      key = createSecretKey(Buffer.from(secret, 'utf8'));
      cache.clear();
    },
    async revokeUser(userId) {
      await opts.accounts.revokeUserTokens(userId);
      markRevoked((_jti, e) => e.userId === userId);
    },
  };
}
