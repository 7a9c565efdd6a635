import { Counter, Gauge, type Registry } from 'prom-client';
import type { CounterFactory, RateCounter } from '../domain/index.js';
import { checkPhone, type PhoneCheck } from './phone.js';
import type { SmsLimitSettings } from './settings.js';

export type SmsRefusal = 'phone_invalid' | 'phone_not_allowed' | 'limited' | 'global_cap';
export type GuardResult = { ok: true } | { ok: false; reason: SmsRefusal; retryAfterMs?: number };

export interface SmsGuard {
  checkPhone(phone: string): PhoneCheck;
  /** Counts one SMS against every limit that applies; refuses (and sends nothing) past any of them. */
  take(req: { phone: string; ip: string; userId?: string | null; purpose: string }): Promise<GuardResult>;
  /** One self-registration from `ip` (per hour and per day). */
  registration(ip: string): Promise<GuardResult>;
}

const HOUR = 3600;
const DAY = 86_400;

function reuse<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * SMS cost money, and toll-fraud rings pump them through sign-up and login forms: every code
 * sent is counted per phone, per client IP and per account (hour and day), against a global
 * daily cap that raises an alert metric, after the number passed E.164 and the country lists.
 */
export function createSmsGuard(opts: { counters: CounterFactory; limits: SmsLimitSettings; metrics?: Registry }): SmsGuard {
  const l = opts.limits;
  const c = (name: string, points: number, durationSec: number): RateCounter => opts.counters.counter(`sms-${name}`, { points, durationSec });
  const perPhone = [c('phone-h', l.perPhoneHour, HOUR), c('phone-d', l.perPhoneDay, DAY)];
  const perIp = [c('ip-h', l.perIpHour, HOUR), c('ip-d', l.perIpDay, DAY)];
  const perAccount = [c('acct-h', l.perAccountHour, HOUR), c('acct-d', l.perAccountDay, DAY)];
  const global = c('global-d', l.globalDay, DAY);
  const registrations = [c('reg-h', l.registrationsPerIpHour, HOUR), c('reg-d', l.registrationsPerIpDay, DAY)];

  const m = opts.metrics;
  const registers = m ? [m] : [];
  const sent = m ? reuse(m, 'heron_sms_allowed_total', () => new Counter({ name: 'heron_sms_allowed_total', help: 'SMS codes allowed by the spend limits, by purpose', labelNames: ['purpose'], registers })) : null;
  const refused = m ? reuse(m, 'heron_sms_refused_total', () => new Counter({ name: 'heron_sms_refused_total', help: 'SMS codes refused by the spend limits, by reason', labelNames: ['reason'], registers })) : null;
  const today = m ? reuse(m, 'heron_sms_global_today', () => new Gauge({ name: 'heron_sms_global_today', help: 'SMS counted against the global daily cap', registers })) : null;
  const capReached = m
    ? reuse(m, 'heron_sms_global_cap_reached', () => new Gauge({ name: 'heron_sms_global_cap_reached', help: '1 while the global daily SMS cap is reached (alert on it)', registers }))
    : null;

  /** Hits each counter in turn; the first one over refuses, and later ones are not charged. */
  async function charge(list: Array<[RateCounter, string]>): Promise<{ retryAfterMs: number } | null> {
    for (const [counter, key] of list) {
      const s = await counter.hit(key);
      if (s.over) return { retryAfterMs: s.retryAfterMs };
    }
    return null;
  }
  const refuse = (reason: SmsRefusal, retryAfterMs?: number): GuardResult => {
    refused?.inc({ reason });
    return retryAfterMs === undefined ? { ok: false, reason } : { ok: false, reason, retryAfterMs };
  };

  return {
    checkPhone: (phone) => checkPhone(phone, l.allowCountryCodes, l.denyCountryCodes),
    async take(req) {
      const phone = checkPhone(req.phone, l.allowCountryCodes, l.denyCountryCodes);
      if (phone !== 'ok') return refuse(phone);
      const list: Array<[RateCounter, string]> = [
        ...perPhone.map((x) => [x, req.phone] as [RateCounter, string]),
        ...perIp.map((x) => [x, req.ip] as [RateCounter, string]),
        ...(req.userId ? perAccount.map((x) => [x, req.userId!] as [RateCounter, string]) : []),
      ];
      const over = await charge(list);
      if (over) return refuse('limited', over.retryAfterMs);
      const g = await global.hit('all');
      today?.set(Math.min(g.count, l.globalDay));
      if (g.over) {
        capReached?.set(1);
        return refuse('global_cap', g.retryAfterMs);
      }
      capReached?.set(g.count >= l.globalDay ? 1 : 0);
      sent?.inc({ purpose: req.purpose });
      return { ok: true };
    },
    async registration(ip) {
      const over = await charge(registrations.map((x) => [x, ip] as [RateCounter, string]));
      return over ? refuse('limited', over.retryAfterMs) : { ok: true };
    },
  };
}
