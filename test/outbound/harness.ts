import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import type { BlobStore, MessageRecord } from '../../domain/index.js';
import type { Logger } from 'pino';
import type { QueueStore } from '../../domain/queue.js';
import { createDeliveryPipeline } from '../../mail/delivery/index.js';
import { prepareMessage } from '../../mail/mime/index.js';
import { storedBytes } from '../helpers/stored-message.js';
import { createBouncer, createOutboundWorker, type MxResolver, type OutboundWorker, type OutboundWorkerOptions } from '../../outbound/index.js';
import { generateDkimKey, type DkimKey } from '../../server/dkim-keys.js';
import { createSubmitter, type Submitter, type SubmitterOptions } from '../../smtp/submission/index.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { createSqliteQueueStore } from '../../store/sqlite/queue/index.js';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/index.js';
import { makeSelfSignedCert } from '../helpers/tls.js';

export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  secure: boolean;
}

export type RcptRule = (address: string, attempt: number) => { code: number; message: string } | null;

/** A remote MX played by npm smtp-server (STARTTLS with a self-signed cert, as many MXs do). */
export interface RemoteMx {
  port: number;
  received: Received[];
  rcptRule: RcptRule | null;
  /** RCPT attempts seen per address. */
  attempts: Map<string, number>;
  close(): Promise<void>;
}

export async function startRemoteMx(tls: { key: Buffer; cert: Buffer }, port = 0): Promise<RemoteMx> {
  const mx: RemoteMx = { port: 0, received: [], rcptRule: null, attempts: new Map(), close: async () => undefined };
  const server = new SMTPServer({
    key: tls.key,
    cert: tls.cert,
    authOptional: true,
    disabledCommands: ['AUTH'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, cb) {
      const n = (mx.attempts.get(address.address) ?? 0) + 1;
      mx.attempts.set(address.address, n);
      const r = mx.rcptRule?.(address.address, n);
      if (r) return cb(Object.assign(new Error(r.message), { responseCode: r.code }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mx.received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((a) => a.address),
          raw: Buffer.concat(chunks),
          secure: session.secure,
        });
        cb(null, 'OK: queued');
      });
    },
  });
  server.on('error', () => undefined);
  mx.port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
  });
  mx.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return mx;
}

/** DNS for tests: MX records per domain; every host name resolves to 127.0.0.1; TXT from a map. */
export function testResolver(mx: Record<string, Array<{ exchange: string; priority: number }>>, txt: Record<string, string[][]> = {}) {
  const nodata = (name: string) => Object.assign(new Error(`no data for ${name}`), { code: 'ENODATA' });
  const resolver: MxResolver & { txt(name: string, type: string): Promise<string[][]> } = {
    async resolveMx(domain) {
      const r = mx[domain];
      if (!r) throw Object.assign(new Error(`NXDOMAIN ${domain}`), { code: 'ENOTFOUND' });
      return r;
    },
    async resolve4() {
      return ['127.0.0.1'];
    },
    async resolve6(host) {
      throw nodata(host);
    },
    async txt(name, type) {
      if (type !== 'TXT' || !txt[name]) throw Object.assign(new Error(`no ${type} for ${name}`), { code: 'ENOTFOUND' });
      return txt[name]!;
    },
  };
  return resolver;
}

export interface Env {
  dir: string;
  store: SqliteStore;
  blobs: BlobStore;
  logger: Logger;
  queue: QueueStore;
  submitter: Submitter;
  submitterOptions: SubmitterOptions;
  worker: OutboundWorker;
  registry: Registry;
  tls: { key: Buffer; cert: Buffer };
  dkim: DkimKey;
  ann: string;
  bob: string;
  messages(userId: string, path: string): Promise<MessageRecord[]>;
  rawOf(userId: string, path: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * A Heron slice for relay tests: the real SQLite store with heron.test users ann and bob, the
 * real delivery pipeline, the submitter, and an outbound worker (options overridable).
 */
export async function startEnv(worker: Partial<OutboundWorkerOptions> & { resolver: MxResolver; port?: number }): Promise<Env> {
  const dir = mkdtempSync(join(tmpdir(), 'heron-outbound-'));
  const tls = makeSelfSignedCert(dir);
  const blobs = createFsBlobStore(join(dir, 'blobs'));
  const store = await openSqliteStore({ path: join(dir, 'heron.sqlite'), blobs, notifier: createMemoryNotifier() });
  const queue = createSqliteQueueStore(store.db);
  await store.users.addDomain('heron.test');
  const ann = (await store.users.createUser({ username: 'ann', address: 'ann@heron.test', password: 'ann-secret-pw', displayName: 'Ann', verified: true })).id;
  const bob = (await store.users.createUser({ username: 'bob', address: 'bob@heron.test', password: 'bob-secret-pw', verified: true })).id;
  await store.users.addAddress(ann, 'ann.alias@heron.test');
  const dkim = generateDkimKey('heron.test');
  const logger = pino({ level: process.env.HERON_TEST_LOG ?? 'silent' });
  const registry = new Registry();
  const pipeline = createDeliveryPipeline({ users: store.users, mail: store.mail, blobs, checks: [], hostname: 'mx.heron.test', logger, metrics: registry, filterFailure: 'tempfail' });
  const bouncer = createBouncer({ users: store.users, mail: store.mail, blobs, prepareMessage, queue, hostname: 'mx.heron.test', logger });
  const w = createOutboundWorker({
    queue,
    bouncer,
    logger,
    metrics: registry,
    hostname: 'mx.heron.test',
    retryScheduleMs: [200],
    expiryMs: 60_000,
    pollIntervalMs: 200,
    client: { connectTimeoutMs: 2000, socketTimeoutMs: 5000 },
    ...worker,
  });
  const submitterOptions: SubmitterOptions = {
    users: store.users,
    mail: store.mail,
    blobs,
    queue,
    pipeline,
    prepareMessage,
    getDkimKey: (d) => (d === 'heron.test' ? dkim : null),
    hostname: 'mx.heron.test',
    logger,
    metrics: registry,
    onQueued: () => w.wake(),
  };
  const submitter = createSubmitter(submitterOptions);
  w.start();

  async function messages(userId: string, path: string): Promise<MessageRecord[]> {
    const box = await store.mail.getMailbox(userId, path);
    if (!box) throw new Error(`no mailbox ${path}`);
    const out: MessageRecord[] = [];
    for await (const m of store.mail.getMessages(box.id, { start: 1, end: Infinity }, { fields: ['header', 'content', 'flags'] })) out.push(m);
    return out;
  }

  return {
    dir,
    store,
    blobs,
    logger,
    queue,
    submitter,
    submitterOptions,
    worker: w,
    registry,
    tls,
    dkim,
    ann,
    bob,
    messages,
    async rawOf(userId, path) {
      const out: string[] = [];
      for (const m of await messages(userId, path)) out.push((await storedBytes(m.content!, blobs)).toString('utf8'));
      return out;
    },
    async close() {
      await w.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value (bounded); the pass/fail never depends on timing, only the wait. */
export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, what: string, tries = 300, everyMs = 50): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}
