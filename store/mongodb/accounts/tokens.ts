import type { IssuedToken } from '../../../domain/index.js';
import type { Collections } from '../collections.js';
import type { TokenDoc } from '../documents.js';

const DAY = 86_400_000;

const toToken = (d: TokenDoc): IssuedToken => ({ jti: d._id, userId: d.userId, createdAt: d.createdAt, expiresAt: d.expiresAt, revoked: d.revoked });

/** Issued API tokens: what logout revokes and what the gateway's token cache reads through. */
export function createTokenMethods(c: Collections) {
  return {
    async recordToken(t: { jti: string; userId: string; createdAt: Date; expiresAt: Date }): Promise<void> {
      await c.apiTokens.insertOne({ _id: t.jti, userId: t.userId, createdAt: t.createdAt, expiresAt: t.expiresAt, purgeAt: new Date(t.expiresAt.getTime() + DAY), revoked: false });
    },
    async getToken(jti: string): Promise<IssuedToken | null> {
      const d = await c.apiTokens.findOne({ _id: jti });
      return d ? toToken(d) : null;
    },
    async listTokens(userId: string, now = new Date()): Promise<IssuedToken[]> {
      const docs = await c.apiTokens.find({ userId, revoked: false, expiresAt: { $gt: now } }).sort({ createdAt: -1 }).limit(500).toArray();
      return docs.map(toToken);
    },
    async revokeToken(jti: string): Promise<void> {
      await c.apiTokens.updateOne({ _id: jti }, { $set: { revoked: true } });
    },
    async revokeUserTokens(userId: string): Promise<number> {
      return (await c.apiTokens.updateMany({ userId, revoked: false }, { $set: { revoked: true } })).modifiedCount;
    },
  };
}
