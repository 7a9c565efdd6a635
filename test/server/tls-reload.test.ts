import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { baseEnv, freePort, startHeronProcess, type HeronProcess } from '../helpers/heron-process.js';
import { createTestCa, type TestCa } from '../helpers/test-ca.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'heron-tls-reload-'));
let ca: TestCa;
before(() => {
  ca = createTestCa();
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(ca.dir, { recursive: true, force: true });
});

/**
 * The serial of the certificate a listener serves, as openssl s_client sees it: implicit TLS or
 * STARTTLS (smtp, imap), with or without SNI.
 */
async function servedSerial(port: number, opts: { starttls?: 'smtp' | 'imap'; sni?: string } = {}): Promise<string> {
  const args = ['s_client', '-connect', `127.0.0.1:${port}`, '-showcerts'];
  if (opts.starttls) args.push('-starttls', opts.starttls);
  if (opts.sni) args.push('-servername', opts.sni);
  else args.push('-noservername');
  const { stdout } = await run('sh', ['-c', `echo | timeout 20 openssl ${args.join(' ')} 2>/dev/null | openssl x509 -noout -serial`]);
  return stdout.trim().replace(/^serial=/, '');
}

function serialOf(pem: string): Promise<string> {
  return run('sh', ['-c', `echo "${pem}" | openssl x509 -noout -serial`]).then((r) => r.stdout.trim().replace(/^serial=/, ''));
}

/** Replaces the pair the way certbot does: new files renamed over the old ones, key first. */
function install(issued: { key: string; cert: string }, key: string, cert: string): void {
  writeFileSync(`${key}.new`, issued.key);
  writeFileSync(`${cert}.new`, issued.cert);
  renameSync(`${key}.new`, key);
  renameSync(`${cert}.new`, cert);
}

async function startWith(reloadInterval: string): Promise<{ heron: HeronProcess; ports: Record<string, number>; key: string; cert: string; dataDir: string }> {
  const dataDir = mkdtempSync(join(dir, 'data-'));
  const first = ca.issue(['mx.heron.test', 'mta-sts.heron.test', 'autoconfig.heron.test']);
  const key = join(dataDir, 'key.pem');
  const cert = join(dataDir, 'cert.pem');
  copyFileSync(first.keyPath, key);
  copyFileSync(first.certPath, cert);
  const config = join(dataDir, 'heron.json');
  writeFileSync(config, JSON.stringify({ tls: { reloadInterval } }));
  const ports = { smtp: await freePort(), imap: await freePort(), imaps: await freePort(), submissions: await freePort(), https: await freePort() };
  const heron = startHeronProcess(
    baseEnv(dataDir, {
      HERON_CONFIG: config,
      HERON_TLS_CERT: cert,
      HERON_TLS_KEY: key,
      HERON_SMTP_PORT: String(ports.smtp),
      HERON_IMAP_PORT: String(ports.imap),
      HERON_IMAPS_PORT: String(ports.imaps),
      HERON_SUBMISSIONS_PORT: String(ports.submissions),
      HERON_HTTPS_PORT: String(ports.https),
    }),
  );
  await heron.waitFor(/Heron is running/);
  return { heron, ports, key, cert, dataDir };
}

async function everyListenerServes(ports: Record<string, number>, serial: string): Promise<void> {
  assert.equal(await servedSerial(ports.smtp!, { starttls: 'smtp', sni: 'mx.heron.test' }), serial, 'SMTP STARTTLS');
  assert.equal(await servedSerial(ports.imap!, { starttls: 'imap' }), serial, 'IMAP STARTTLS, no SNI');
  assert.equal(await servedSerial(ports.imaps!, { sni: 'mx.heron.test' }), serial, 'IMAPS with SNI');
  assert.equal(await servedSerial(ports.imaps!), serial, 'IMAPS without SNI');
  assert.equal(await servedSerial(ports.submissions!, { sni: 'mx.heron.test' }), serial, 'submission over TLS');
  assert.equal(await servedSerial(ports.https!, { sni: 'mta-sts.heron.test' }), serial, 'HTTPS');
}

test('a replaced certificate is served by SMTP, IMAP and HTTPS without a restart; a broken pair is refused', async () => {
  const { heron, ports, key, cert } = await startWith('200ms');
  try {
    await everyListenerServes(ports, await serialOf(readFileSync(cert, 'utf8')));
    const next = ca.issue(['mx.heron.test', 'mta-sts.heron.test']);
    install(next, key, cert);
    await heron.waitFor(/certificate reloaded/);
    await everyListenerServes(ports, await serialOf(next.cert));

    // A certificate without its key (half-way through a renewal) does not load: the old one stays.
    const broken = ca.issue(['mx.heron.test']);
    writeFileSync(`${cert}.new`, broken.cert);
    renameSync(`${cert}.new`, cert);
    await heron.waitFor(/do not load; keeping the one in force/);
    await everyListenerServes(ports, await serialOf(next.cert));
  } finally {
    heron.child.kill('SIGTERM');
    await heron.exited;
  }
});

test('SIGHUP re-reads the certificate at once', async () => {
  const { heron, ports, key, cert } = await startWith('1h');
  try {
    const next = ca.issue(['mx.heron.test']);
    install(next, key, cert);
    heron.child.kill('SIGHUP');
    await heron.waitFor(/certificate reloaded/);
    assert.equal(await servedSerial(ports.imaps!, { sni: 'mx.heron.test' }), await serialOf(next.cert));
  } finally {
    heron.child.kill('SIGTERM');
    await heron.exited;
  }
});
