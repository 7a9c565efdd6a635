import { randomBytes } from 'node:crypto';
import type { OtpCheck, OtpCode, OtpPurpose, SecondFactor } from '../../../domain/index.js';
import { hashOtp, otpMatches } from '../../account-secrets.js';
import type { Collections } from '../collections.js';
import type { OtpDoc } from '../documents.js';

const DAY = 86_400_000;

const toCode = (d: OtpDoc): OtpCode => ({
  id: d._id,
  userId: d.userId,
  purpose: d.purpose as OtpPurpose,
  method: d.method as SecondFactor,
  createdAt: d.createdAt,
  expiresAt: d.expiresAt,
  attempts: d.attempts,
  consumed: d.consumed,
});

/** One-time codes and login challenges (a challenge is a 'login' code found by id). */
export function createOtpMethods(c: Collections) {
  const latest = (userId: string, purpose: string) => c.otpCodes.find({ userId, purpose }).sort({ createdAt: -1, _id: -1 }).limit(1).next();
  return {
    async createOtp(input: { userId: string; purpose: OtpPurpose; method: SecondFactor; code: string | null; ttlMs: number; now?: Date }): Promise<OtpCode> {
      const now = (input.now ?? new Date()).getTime();
      const doc: OtpDoc = {
        _id: randomBytes(18).toString('base64url'),
        userId: input.userId,
        purpose: input.purpose,
        method: input.method,
        codeHash: input.code === null ? null : hashOtp(input.code),
        createdAt: new Date(now),
        expiresAt: new Date(now + input.ttlMs),
        purgeAt: new Date(now + input.ttlMs + DAY),
        attempts: 0,
        consumed: false,
      };
      // Void earlier codes first: a crash between the two leaves no code valid rather than two.
      await c.otpCodes.updateMany({ userId: input.userId, purpose: input.purpose, consumed: false }, { $set: { consumed: true } });
      await c.otpCodes.insertOne(doc);
      return toCode(doc);
    },
    async getOtp(id: string): Promise<OtpCode | null> {
      const d = await c.otpCodes.findOne({ _id: id });
      return d ? toCode(d) : null;
    },
    async latestOtp(userId: string, purpose: OtpPurpose): Promise<OtpCode | null> {
      const d = await latest(userId, purpose);
      return d ? toCode(d) : null;
    },
    async checkOtp(
      ref: { id: string } | { userId: string; purpose: OtpPurpose },
      code: string,
      opts: { maxAttempts: number; now?: Date; verify?: (code: string) => Promise<boolean> },
    ): Promise<OtpCheck> {
      const d = 'id' in ref ? await c.otpCodes.findOne({ _id: ref.id }) : await latest(ref.userId, ref.purpose);
      if (!d) return { result: 'not_found' };
      if (d.attempts >= opts.maxAttempts) return { result: 'locked' };
      if (d.consumed) return { result: 'not_found' };
      if (d.expiresAt.getTime() <= (opts.now ?? new Date()).getTime()) return { result: 'expired' };
      const good = d.codeHash !== null ? otpMatches(d.codeHash, code) : opts.verify ? await opts.verify(code) : false;
      if (!good) {
        // $inc, not a computed value: wrong tries on two nodes both count.
        const after = await c.otpCodes.findOneAndUpdate({ _id: d._id }, { $inc: { attempts: 1 } }, { returnDocument: 'after' });
        const left = opts.maxAttempts - (after?.attempts ?? d.attempts + 1);
        return left <= 0 ? { result: 'locked' } : { result: 'invalid', attemptsLeft: left };
      }
      // The conditional update settles a race between two requests presenting the same code.
      const res = await c.otpCodes.updateOne({ _id: d._id, consumed: false }, { $set: { consumed: true } });
      if (res.modifiedCount !== 1) return { result: 'not_found' };
      return { result: 'ok', code: toCode({ ...d, consumed: true }) };
    },
  };
}
