import type { Logger } from 'pino';
import type { CheckContext, MessageCheck, Verdict } from '../domain/index.js';
import type { FilterMetrics } from './metrics.js';
import { isFilterUnavailable } from './errors.js';

/** Wraps a check with its latency histogram, verdict counter and one log line per failure. */
export function instrumentCheck(check: MessageCheck, metrics: FilterMetrics, logger: Logger): MessageCheck {
  return {
    name: check.name,
    async check(ctx: CheckContext): Promise<Verdict> {
      const end = metrics.duration.startTimer({ filter: check.name });
      try {
        const verdict = await check.check(ctx);
        end({ outcome: verdict.action });
        metrics.verdicts.inc({ filter: check.name, action: verdict.action });
        if (verdict.action !== 'accept') {
          logger.info(
            { queueId: ctx.queueId, filter: check.name, action: verdict.action, reason: verdict.reason, score: verdict.score },
            'filter verdict',
          );
        }
        return verdict;
      } catch (err) {
        end({ outcome: 'error' });
        metrics.verdicts.inc({ filter: check.name, action: 'error' });
        logger.warn(
          { queueId: ctx.queueId, filter: check.name, err: isFilterUnavailable(err) ? err.detail : err },
          'filter unavailable',
        );
        throw err;
      }
    },
  };
}
