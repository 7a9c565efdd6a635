import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { ImapFlow } from 'imapflow';
import type { MailStore, MoveObserver, Notifier, User } from '../../domain/index.js';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/index.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { createImapServer, type ImapServer } from '../../imap/index.js';
import type { ImapLimits } from '../../imap/deps.js';
import { makeSelfSignedCert } from '../helpers/tls.js';

export const PASSWORD = 'correct horse battery staple';

export interface Harness {
  dir: string;
  store: SqliteStore;
  notifier: Notifier;
  blobs: ReturnType<typeof createFsBlobStore>;
  tls: { key: Buffer; cert: Buffer };
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
}

export async function startHarness(opts: { limits?: Partial<ImapLimits>; wrapMail?: (m: MailStore) => MailStore } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'heron-imap-'));
  const tls = makeSelfSignedCert(dir);
  const logger = pino({ level: process.env.HERON_TEST_LOG ?? 'silent' });
  const blobs = createFsBlobStore(join(dir, 'blobs'));
  const moves: Harness['moves'] = [];
  const moveObserver: MoveObserver = { messagesMoved: (e) => moves.push(e) };

  let notifier = createMemoryNotifier();
  let store = await openSqliteStore({ path: join(dir, 'heron.db'), blobs, notifier });
  await store.users.addDomain('example.test');
  const alice = await store.users.createUser({ username: 'alice', address: 'alice@example.test', password: PASSWORD, verified: true });
  const bob = await store.users.createUser({ username: 'bob', address: 'bob@example.test', password: PASSWORD, verified: true });

  let servers: ImapServer[] = [];
  const h = {} as Harness;
  const startServers = async (): Promise<void> => {
    const common = { users: store.users, mail: opts.wrapMail ? opts.wrapMail(store.mail) : store.mail, blobs, notifier, logger, metrics: new Registry(), hostname: 'localhost', tls, moveObserver, ...(opts.limits ? { limits: opts.limits } : {}) };
    const plain = createImapServer({ ...common, secure: false });
    const secure = createImapServer({ ...common, secure: true });
    servers = [plain, secure];
    h.port = await plain.listen(0, '127.0.0.1');
    h.securePort = await secure.listen(0, '127.0.0.1');
  };
  await startServers();

  const clients: ImapFlow[] = [];
  Object.assign(h, {
    dir,
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
      store = await openSqliteStore({ path: join(dir, 'heron.db'), blobs, notifier });
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
      for (const s of servers) await s.close();
      await store.close();
      await notifier.close();
      rmSync(dir, { recursive: true, force: true });
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
