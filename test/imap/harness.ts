import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { ImapFlow } from 'imapflow';
import type { LoginPolicy, MailStore, MoveObserver, Notifier, User } from '../../domain/index.js';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/index.js';
import { createAccountStore } from '../../store/sqlite/accounts/index.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { createSearchTextExtractor } from '../../mail/mime/index.js';
import { createCounterFactory } from '../../limits/index.js';
import { createLoginPolicy, createSmsGuard, DEFAULT_SMS_LIMITS } from '../../auth/index.js';
import { createImapServer, type ImapLimits, type ImapServer } from '../../imap/index.js';
import { createTestCa, type TestCa } from '../helpers/test-ca.js';
import { rawLogin, type RawSocket } from './raw-client.js';

export const PASSWORD = 'correct horse battery staple';
/** The host name the certificate is issued for; tests connect by it (SNI) where it matters. */
export const HOSTNAME = 'mail.example.test';

export interface Harness {
  dir: string;
  store: SqliteStore;
  notifier: Notifier;
  blobs: ReturnType<typeof createFsBlobStore>;
  ca: TestCa;
  tls: { key: string; cert: string };
  /** Plain port with STARTTLS (143-style). */
  port: number;
  /** Implicit TLS port (993-style). */
  securePort: number;
  alice: User;
  bob: User;
  moves: Parameters<MoveObserver['messagesMoved']>[0][];
  restart(): Promise<void>;
  close(): Promise<void>;
  client(user?: 'alice' | 'bob', opts?: { secure?: boolean }): Promise<ImapFlow>;
  /** A raw socket logged in over implicit TLS, closed by close(). */
  raw(user?: 'alice' | 'bob'): Promise<RawSocket>;
}

export interface HarnessOptions {
  limits?: Partial<ImapLimits>;
  wrapMail?: (m: MailStore) => MailStore;
  /** Login throttling (failures before delays / lock); defaults keep tests fast. */
  loginThrottle?: { free: number; lockAfter: number };
  tickMs?: number;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'heron-imap-'));
  const ca = createTestCa();
  const leaf = ca.issue([HOSTNAME, 'localhost'], { dir });
  const tls = { key: leaf.key, cert: leaf.cert };
  const logger = pino({ level: process.env.HERON_TEST_LOG ?? 'silent' });
  const blobs = createFsBlobStore(join(dir, 'blobs'));
  const moves: Harness['moves'] = [];
  const moveObserver: MoveObserver = { messagesMoved: (e) => moves.push(e) };
  const textExtractor = createSearchTextExtractor();

  let notifier = createMemoryNotifier();
  let store = await openSqliteStore({ path: join(dir, 'heron.db'), blobs, notifier, textExtractor });
  await store.users.addDomain('example.test');
  const alice = await store.users.createUser({ username: 'alice', address: 'alice@example.test', password: PASSWORD, verified: true });
  const bob = await store.users.createUser({ username: 'bob', address: 'bob@example.test', password: PASSWORD, verified: true });

  const counters = createCounterFactory({ namespace: `t${Math.random().toString(36).slice(2)}` });
  const throttle = opts.loginThrottle ?? { free: 1000, lockAfter: 10_000 };
  const policy = (): LoginPolicy =>
    createLoginPolicy({
      users: store.users,
      accounts: createAccountStore(store.db),
      counters,
      smsGuard: createSmsGuard({ counters, limits: DEFAULT_SMS_LIMITS }),
      sendLoginSms: async () => undefined,
      logger,
      otp: { ttlMs: 300_000, maxAttempts: 5 },
      account: { free: throttle.free, lockAfter: throttle.lockAfter, windowSec: 3600, lockSec: 900, maxDelaySec: 2 },
      ip: { free: throttle.free, lockAfter: throttle.lockAfter, windowSec: 3600, lockSec: 900, maxDelaySec: 2 },
    });

  let servers: ImapServer[] = [];
  const h = {} as Harness;
  const startServers = async (): Promise<void> => {
    const common = {
      users: store.users,
      mail: opts.wrapMail ? opts.wrapMail(store.mail) : store.mail,
      blobs,
      notifier,
      loginPolicy: policy(),
      accounts: createAccountStore(store.db),
      logger,
      metrics: new Registry(),
      hostname: HOSTNAME,
      tls,
      moveObserver,
      ...(opts.limits ? { limits: opts.limits } : {}),
    };
    const plain = createImapServer({ ...common, secure: false });
    const secure = createImapServer({ ...common, secure: true });
    servers = [plain, secure];
    h.port = await plain.listen(0, '127.0.0.1');
    h.securePort = await secure.listen(0, '127.0.0.1');
  };
  await startServers();

  const clients: ImapFlow[] = [];
  const raws: RawSocket[] = [];
  Object.assign(h, {
    dir,
    ca,
    tls,
    alice,
    bob,
    moves,
    blobs,
    get store() {
      return store;
    },
    get notifier() {
      return notifier;
    },
    async restart() {
      for (const s of servers) await s.close();
      await store.close();
      await notifier.close();
      notifier = createMemoryNotifier();
      store = await openSqliteStore({ path: join(dir, 'heron.db'), blobs, notifier, textExtractor });
      await startServers();
    },
    async close() {
      for (const c of clients) {
        try {
          c.close();
        } catch {
          // already closed
        }
      }
      for (const r of raws) r.close();
      for (const s of servers) await s.close();
      await store.close();
      await notifier.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(ca.dir, { recursive: true, force: true });
    },
    async raw(user: 'alice' | 'bob' = 'alice') {
      const r = await rawLogin(h.securePort, `${user}@example.test`, PASSWORD);
      raws.push(r);
      return r;
    },
    async client(user: 'alice' | 'bob' = 'alice', copts: { secure?: boolean } = {}) {
      const secure = copts.secure ?? true;
      const c = new ImapFlow({
        host: '127.0.0.1',
        port: secure ? h.securePort : h.port,
        secure,
        doSTARTTLS: secure ? undefined : true,
        auth: { user: `${user}@example.test`, pass: PASSWORD },
        tls: { rejectUnauthorized: false },
        logger: process.env.HERON_TEST_IMAP_LOG ? pino({ level: 'debug' }) : false,
        disableAutoIdle: true,
      } as ConstructorParameters<typeof ImapFlow>[0]);
      clients.push(c);
      await c.connect();
      return c;
    },
  });
  return h;
}
