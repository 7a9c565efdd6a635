import type { Logger } from 'pino';
import type { AccountStore, CounterFactory, SecurityNotifier, User } from '../domain/index.js';
import type { SecondFactorSettings } from './settings.js';

/**
 * Wrong second-factor codes per account across all of its challenges (issue 9: counting per
 * challenge let 60 challenges x 4 codes through). `maxFailures` within the window lock SMS and
 * TOTP login for `lockSec`, once, with an audit entry and a notice to the user.
 */
export function createSecondFactorGuard(opts: {
  counters: CounterFactory;
  settings: SecondFactorSettings;
  accounts: AccountStore;
  notifier?: SecurityNotifier;
  logger: Logger;
  now: () => number;
}) {
  const s = opts.settings;
  const failures = opts.counters.counter('2fa-fail', { points: s.maxFailures, durationSec: s.windowSec });
  const lock = opts.counters.counter('2fa-lock', { points: 1, durationSec: 1 });
  return {
    async locked(userId: string): Promise<{ retryAfterMs: number } | null> {
      const l = await lock.peek(userId);
      return l.over && l.retryAfterMs > 0 ? { retryAfterMs: l.retryAfterMs } : null;
    },
    async failed(userId: string, user: User | null, ip: string): Promise<void> {
      const f = await failures.hit(userId);
      if (f.count < s.maxFailures) return;
      await lock.block(userId, s.lockSec);
      await failures.reset(userId);
      const until = new Date(opts.now() + s.lockSec * 1000);
      opts.logger.warn({ event: 'second_factor_locked', userId, ip }, 'second-factor login locked after repeated wrong codes');
      await opts.accounts.audit({ userId, action: 'second_factor_locked', ip, details: { until: until.toISOString(), failures: f.count } }).catch(() => undefined);
      if (user) await opts.notifier?.notify(user, { kind: 'second_factor_locked', ip, until });
    },
    async succeeded(userId: string): Promise<void> {
      await failures.reset(userId);
    },
  };
}
