import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { BlobStore, MailStore, MessageCheck, PreferencesReader, UserStore } from '../../../domain/index.js';
import { createDeliveryPipeline, type FilterFailurePolicy } from '../../../mail/delivery/index.js';
import { createMxServer, type MxLimits } from '../../../smtp/mx/index.js';
import { makeSelfSignedCert } from '../../helpers/tls.js';

export interface MxHarness {
  port: number;
  dir: string;
  spoolDir: string;
  registry: Registry;
  close(): Promise<void>;
}

/** A real MX server on 127.0.0.1:0 over the given stores, with its own temp dir and registry. */
export async function startMx(opts: {
  users: UserStore;
  mail: MailStore;
  blobs: BlobStore;
  checks?: MessageCheck[];
  preferences?: PreferencesReader;
  filterFailure?: FilterFailurePolicy;
  checkTimeoutMs?: number;
  limits?: Partial<MxLimits>;
}): Promise<MxHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'heron-mx-'));
  const cert = makeSelfSignedCert(dir);
  const spoolDir = join(dir, 'spool');
  const registry = new Registry();
  const logger = pino({ level: process.env.HERON_TEST_LOG ?? 'silent' });
  const pipeline = createDeliveryPipeline({
    users: opts.users,
    mail: opts.mail,
    blobs: opts.blobs,
    checks: opts.checks ?? [],
    ...(opts.preferences ? { preferences: opts.preferences } : {}),
    hostname: 'mx.heron.test',
    logger,
    metrics: registry,
    filterFailure: opts.filterFailure ?? 'tempfail',
    ...(opts.checkTimeoutMs ? { checkTimeoutMs: opts.checkTimeoutMs } : {}),
  });
  const mx = createMxServer({
    users: opts.users,
    mail: opts.mail,
    pipeline,
    logger,
    metrics: registry,
    hostname: 'mx.heron.test',
    tls: cert,
    spoolDir,
    limits: {
      maxMessageSize: 1024 * 1024,
      maxRecipients: 5,
      maxConnectionsPerIp: 8,
      socketTimeoutMs: 30_000,
      closeTimeoutMs: 500,
      ...opts.limits,
    },
  });
  const port = await mx.listen(0, '127.0.0.1');
  return {
    port,
    dir,
    spoolDir,
    registry,
    async close() {
      await mx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
