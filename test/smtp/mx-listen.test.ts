import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createDeliveryPipeline } from '../../mail/delivery/index.js';
import { createMxServer } from '../../smtp/mx/index.js';
import { createMemoryBlobStore } from '../helpers/memory-blobs.js';
import { makeSelfSignedCert } from '../helpers/tls.js';
import { createFakeStore } from './helpers/fake-store.js';
import { startMx, type MxHarness } from './helpers/mx-harness.js';

let mx: MxHarness;
let dir: string;
before(async () => {
  const store = createFakeStore(['heron.test']);
  mx = await startMx({ users: store.users, mail: store.mail, blobs: createMemoryBlobStore() });
  dir = mkdtempSync(join(tmpdir(), 'heron-mx-listen-'));
});
after(async () => {
  await mx.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a port that cannot be bound is a rejected listen(), not a crash', async () => {
  const store = createFakeStore(['heron.test']);
  const logger = pino({ level: 'silent' });
  const registry = new Registry();
  const pipeline = createDeliveryPipeline({
    users: store.users, mail: store.mail, blobs: createMemoryBlobStore(), checks: [], hostname: 'h', logger, metrics: registry, filterFailure: 'tempfail',
  });
  const second = createMxServer({
    users: store.users, mail: store.mail, pipeline, logger, metrics: registry, hostname: 'h', tls: makeSelfSignedCert(dir), spoolDir: join(dir, 'spool'),
    limits: { maxMessageSize: 1000, maxRecipients: 10, maxConnectionsPerIp: 5, socketTimeoutMs: 10_000 },
  });
  await assert.rejects(second.listen(mx.port, '127.0.0.1'), (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE');
});
