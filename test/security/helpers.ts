import { pino } from 'pino';
import type { AccountStore, UserStore } from '../../domain/index.js';
import { createCounterFactory } from '../../limits/index.js';
import { createLoginPolicy, createSmsGuard, DEFAULT_SMS_LIMITS } from '../../auth/index.js';
import { RawSmtp } from '../smtp/helpers/raw-smtp.js';

/** The production login policy over a test's stores (in-memory counters). */
export function testPolicy(users: UserStore, accounts: AccountStore, over: Parameters<typeof createLoginPolicy>[0] extends infer O ? Partial<O> : never = {}) {
  const counters = createCounterFactory();
  return createLoginPolicy({
    users,
    accounts,
    counters,
    smsGuard: createSmsGuard({ counters, limits: DEFAULT_SMS_LIMITS }),
    logger: pino({ level: 'silent' }),
    otp: { ttlMs: 60_000, maxAttempts: 5 },
    sendLoginSms: async () => undefined,
    ...over,
  });
}

/** EHLO + AUTH PLAIN on an implicit-TLS submission port; resolves with the AUTH reply. */
export async function authPlain(port: number, login: string, password: string, localAddress?: string): Promise<{ c: RawSmtp; reply: string }> {
  const c = await RawSmtp.openTls(port, localAddress);
  await c.reply();
  await c.command('EHLO client.test');
  const reply = (await c.command(`AUTH PLAIN ${Buffer.from(`\0${login}\0${password}`).toString('base64')}`)) ?? '';
  return { c, reply };
}

/** MAIL/RCPT/DATA of `raw` (sent as is: no line-end repair) on an authenticated session. */
export async function sendRaw(c: RawSmtp, from: string, to: string, raw: Buffer): Promise<string> {
  await c.command(`MAIL FROM:<${from}>`);
  await c.command(`RCPT TO:<${to}>`);
  const go = await c.command('DATA');
  if (!go?.startsWith('354')) return go ?? 'closed';
  c.write(Buffer.concat([raw, Buffer.from('\r\n.\r\n')]));
  return (await c.reply(30_000)) ?? 'closed';
}
