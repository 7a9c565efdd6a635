import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { pino } from 'pino';
import type { SecretStore } from '../../domain/index.js';
import { createAcmeManager } from '../../server/tls/acme.js';
import { createWellKnownHandler } from '../../gateway/wellknown/index.js';
import { createWellKnownListener } from '../../server/wellknown-listener.js';
import { baseEnv, freePort, startHeronProcess, type HeronProcess } from '../helpers/heron-process.js';
import { createTestCa, type TestCa } from '../helpers/test-ca.js';
import { startDnsmasq, type LocalDns } from '../helpers/dnsmasq.js';
import { startPebble } from '../helpers/pebble.js';

const dir = mkdtempSync(join(tmpdir(), 'heron-acme-'));
let ca: TestCa;
let dns: LocalDns;
before(async () => {
  ca = createTestCa();
  // Every name of example.test is this machine, save autodiscover.example.test (nothing answers there).
  dns = await startDnsmasq(['--local=/example.test/', '--address=/example.test/127.0.0.1', '--address=/autodiscover.example.test/127.0.0.2']);
});
after(async () => {
  await dns.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(ca.dir, { recursive: true, force: true });
});

interface Served {
  names: string[];
  serial: string;
  authorized: boolean;
  error: string | null;
}

function served(port: number, servername: string, root: string): Promise<Served> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, servername, ca: root, rejectUnauthorized: false }, () => {
      const cert = s.getPeerCertificate();
      resolve({
        names: (cert.subjectaltname ?? '').split(', ').map((n) => n.replace(/^DNS:/, '')),
        serial: cert.serialNumber,
        authorized: s.authorized,
        error: s.authorizationError ? String(s.authorizationError) : null,
      });
      s.end();
    });
    s.once('error', reject);
  });
}

test('heron start with ACME gets a certificate from pebble over http-01 for the host name and the well-known names, and keeps it across a restart', async () => {
  const work = mkdtempSync(join(dir, 'e2e-'));
  const ports = { http: await freePort(), https: await freePort(), imaps: await freePort() };
  const pebble = await startPebble({ dir: work, ca, httpPort: ports.http, dnsServer: dns.server });
  const env = baseEnv(join(work, 'data'), {
    HERON_HOSTNAME: 'mail.example.test',
    HERON_DOMAINS: 'example.test',
    HERON_HTTP_PORT: String(ports.http),
    HERON_HTTPS_PORT: String(ports.https),
    HERON_IMAPS_PORT: String(ports.imaps),
    HERON_ACME: 'on',
    HERON_ACME_DIRECTORY: pebble.directoryUrl,
    HERON_ACME_CA_FILE: ca.certPath,
    HERON_ACME_EMAIL: 'postmaster@example.test',
  });
  let heron: HeronProcess = startHeronProcess(env);
  try {
    // Until the order completes the self-signed certificate serves, with a warning.
    await heron.waitFor(/self-signed certificate until ACME issues one/);
    await heron.waitFor(/certificate issued/, 120_000);
    assert.match(heron.output(), /ACME could not validate autodiscover\.example\.test/);
    const root = await pebble.root();
    for (const [port, name] of [[ports.imaps, 'mail.example.test'], [ports.https, 'mta-sts.example.test'], [ports.https, 'autoconfig.example.test']] as const) {
      const s = await served(port, name, root);
      assert.ok(s.authorized, `${name} on ${port}: ${s.error}`);
      assert.ok(s.names.includes(name), `${name} in ${s.names.join(',')}`);
      assert.ok(!s.names.includes('autodiscover.example.test'), 'a name that failed validation is left off');
    }
    const first = await served(ports.imaps, 'mail.example.test', root);
    heron.child.kill('SIGTERM');
    await heron.exited;

    // A restart serves the stored certificate at once and orders nothing (the name that failed
    // is not tried again before its retry time).
    heron = startHeronProcess(env);
    await heron.waitFor(/Heron is running/);
    assert.doesNotMatch(heron.output(), /self-signed/);
    assert.equal((await served(ports.imaps, 'mail.example.test', root)).serial, first.serial);
    await heron.waitFor(/certificate is current|certificate issued|ACME order failed/, 60_000);
    assert.match(heron.output(), /certificate is current/);
    assert.doesNotMatch(heron.output(), /certificate issued/);
  } finally {
    heron.child.kill('SIGTERM');
    await heron.exited;
    await pebble.stop();
  }
});

/** Shared secrets in memory (the store's SecretStore port). */
function memorySecrets(): SecretStore {
  const m = new Map<string, string>();
  return {
    get: async (n) => m.get(n) ?? null,
    putIfAbsent: async (n, v) => {
      if (!m.has(n)) m.set(n, v);
      return m.get(n)!;
    },
    set: async (n, v) => void m.set(n, v),
  };
}

test('renewal: a certificate inside the renew-before window is ordered again; a fresh one is kept', async () => {
  const work = mkdtempSync(join(dir, 'renew-'));
  const logger = pino({ level: process.env.HERON_TEST_LOG ?? 'silent' });
  let renewBeforeMs = 100 * 365 * 86_400_000;
  const issued: string[] = [];
  // The challenge answers come from the same listener Heron runs on port 80; the manager is
  // made once pebble (which needs that port) runs.
  let manager: ReturnType<typeof createAcmeManager> | null = null;
  const handler = createWellKnownHandler({
    settings: { hostname: 'mail.example.test', ports: { imaps: 993, imap: 0, submissions: 465, submission: 0 } },
    isLocalDomain: async () => true,
    mtaSts: { mode: 'testing', maxAgeSec: 86_400 },
    acmeChallenge: (t) => manager?.challenge(t),
    logger,
  });
  const http = createWellKnownListener({ handler, httpsPort: 0, logger });
  const httpPort = await http.listen(0, '127.0.0.1');
  const pebble = await startPebble({ dir: work, ca, httpPort, dnsServer: dns.server });
  try {
    manager = createAcmeManager({
      directoryUrl: pebble.directoryUrl,
      caPem: ca.cert,
      secrets: memorySecrets(),
      hostname: 'mail.example.test',
      names: async () => ['mail.example.test', 'mta-sts.example.test'],
      get renewBeforeMs() {
        return renewBeforeMs;
      },
      logger,
      onCertificate: (m) => issued.push(m.cert),
    });
    assert.equal(await manager.check(), 'issued');
    assert.equal(await manager.check(), 'issued', 'inside the (huge) renew-before window: ordered again');
    assert.equal(issued.length, 2);
    const [a, b] = issued.map((pem) => new X509Certificate(pem));
    assert.notEqual(a!.serialNumber, b!.serialNumber);
    assert.match(a!.subjectAltName ?? '', /DNS:mta-sts\.example\.test/);
    renewBeforeMs = 86_400_000;
    assert.equal(await manager.check(), 'fresh', 'outside the window: kept');
    assert.equal(issued.length, 2);
  } finally {
    manager?.close();
    await pebble.stop();
    await http.close();
  }
});
