import type { Clock, VacationLog } from '../../domain/index.js';
import type { Collections } from './collections.js';
import { isDuplicateKey } from './context.js';

/**
 * VacationLog: one document per (user, sender). The claim is a single conditional update (old
 * enough -> now) or, for a first reply, an insert that a unique _id makes atomic across nodes.
 */
export function createMongoVacationLog(c: Collections, clock?: Clock): VacationLog {
  return {
    async claimReply(userId, sender, periodMs, now) {
      const t = now ?? clock?.now() ?? new Date();
      const key = sender.toLowerCase();
      const _id = `${userId}\0${key}`;
      const res = await c.vacationReplies.updateOne({ _id, repliedAt: { $lte: new Date(t.getTime() - periodMs) } }, { $set: { repliedAt: t } });
      if (res.matchedCount > 0) return true;
      try {
        await c.vacationReplies.insertOne({ _id, userId, sender: key, repliedAt: t });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async reset(userId) {
      await c.vacationReplies.deleteMany({ userId });
    },
  };
}
