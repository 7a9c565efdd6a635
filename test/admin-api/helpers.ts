import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/index.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { createAccountStore } from '../../store/sqlite/accounts/index.js';
import { createApiServer, createSmsSender, type ApiServerOptions } from '../../admin-api/index.js';
import type { AccountStore } from '../../domain/account-store.js';
import { createSmsGuard, DEFAULT_SMS_LIMITS, type SmsLimitSettings } from '../../auth/index.js';
import { createCounterFactory } from '../../limits/index.js';

const GENEROUS_SMS_LIMITS: SmsLimitSettings = {
  ...DEFAULT_SMS_LIMITS,
  perPhoneHour: 1000, perPhoneDay: 1000, perIpHour: 10_000, perIpDay: 10_000, perAccountHour: 1000, perAccountDay: 1000,
  globalDay: 100_000, registrationsPerIpHour: 10_000, registrationsPerIpDay: 10_000,
};

import type { BlobStore } from '../../domain/blob-store.js';

export interface SmsCapture {
  to: string;
  text: string;
  template: string;
  userId: string;
}

/** A local HTTP server playing the SMS carrier's webhook. `failNext` makes it answer 500s. */
export async function startSmsWebhook() {
  const messages: SmsCapture[] = [];
  let failures = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failures > 0) {
        failures--;
        res.writeHead(500).end();
        return;
      }
      messages.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as SmsCapture);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  return {
    url,
    messages,
    failNext(n: number) {
      failures = n;
    },
    lastCodeFor(phone: string): string {
      const m = [...messages].reverse().find((x) => x.to === phone);
      const code = m && /(\d{6})/.exec(m.text)?.[1];
      if (!code) throw new Error(`no SMS for ${phone}`);
      return code;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface Harness {
  base: string;
  store: SqliteStore;
  accounts: AccountStore;
  blobs: BlobStore;
  sms: Awaited<ReturnType<typeof startSmsWebhook>>;
  secret: string;
  close(): Promise<void>;
}

export type Overrides =
  | Partial<ApiServerOptions>
  | ((env: { store: SqliteStore; accounts: AccountStore; blobs: BlobStore; dir: string }) => Partial<ApiServerOptions>);

export async function startApi(overrides: Overrides = {}): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-api-'));
  const blobs = createFsBlobStore(path.join(dir, 'blobs'));
  const notifier = createMemoryNotifier();
  const store = await openSqliteStore({ path: path.join(dir, 'heron.db'), blobs, notifier });
  await store.users.addDomain('example.test');
  const accounts = createAccountStore(store.db);
  const sms = await startSmsWebhook();
  const logger = pino({ level: 'silent' });
  const secret = 'test-secret-' + Math.random().toString(36).slice(2);
  const api = createApiServer({
    users: store.users,
    mail: store.mail,
    accounts,
    blobs,
    sms: createSmsSender({ provider: 'webhook', webhookUrl: sms.url, logger, backoffMs: 1 }),
    jwtSecret: secret,
    primaryDomain: 'example.test',
    logger,
    metrics: new Registry(),
    notifier,
    // API tests sign up many users from 127.0.0.1; the spend limits have tests of their own (test/security).
    smsGuard: createSmsGuard({ counters: createCounterFactory(), limits: GENEROUS_SMS_LIMITS }),
    ...(typeof overrides === 'function' ? overrides({ store, accounts, blobs, dir }) : overrides),
  });
  const port = await api.listen(0, '127.0.0.1');
  return {
    base: `http://127.0.0.1:${port}`,
    store,
    accounts,
    blobs,
    sms,
    secret,
    async close() {
      await api.close();
      await sms.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

export async function call(base: string, method: string, p: string, opts: { token?: string; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | Buffer | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(base + p, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

let phoneSeq = 1000;
export function nextPhone(): string {
  return `+1555000${phoneSeq++}`;
}

/** Registers, verifies with the SMS code and logs in through the SMS challenge; returns the token. */
export async function signUp(h: Harness, username: string, password = 'correct horse battery'): Promise<{ token: string; userId: string; phone: string; address: string }> {
  const phone = nextPhone();
  const reg = await call(h.base, 'POST', '/v1/auth/register', { body: { username, password, phone, firstName: 'Ann' } });
  if (reg.status !== 201) throw new Error(`register ${reg.status} ${JSON.stringify(reg.body)}`);
  const ver = await call(h.base, 'POST', '/v1/auth/verify', { body: { userId: reg.body.userId, code: h.sms.lastCodeFor(phone) } });
  if (ver.status !== 200) throw new Error(`verify ${ver.status}`);
  const token = await login(h, username, password, phone);
  return { token, userId: reg.body.userId, phone, address: reg.body.address };
}

export async function login(h: Harness, username: string, password: string, phone: string): Promise<string> {
  const l = await call(h.base, 'POST', '/v1/auth/login', { body: { username, password } });
  if (l.status !== 200 || !l.body.challengeId) throw new Error(`login ${l.status} ${JSON.stringify(l.body)}`);
  const v = await call(h.base, 'POST', '/v1/auth/login/verify', { body: { challengeId: l.body.challengeId, code: h.sms.lastCodeFor(phone) } });
  if (v.status !== 200) throw new Error(`login verify ${v.status} ${JSON.stringify(v.body)}`);
  return v.body.token as string;
}
