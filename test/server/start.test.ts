import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { baseEnv, freePort, startHeronProcess } from '../helpers/heron-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'heron-start-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function banner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    s.setTimeout(10_000, () => s.destroy(new Error('timeout')));
    s.once('data', (d) => {
      resolve(d.toString());
      s.end();
    });
    s.once('error', reject);
  });
}

test('heron start serves MX, IMAP and IMAPS on the configured ports and stops cleanly on SIGTERM', async () => {
  const [smtp, imap, imaps] = [await freePort(), await freePort(), await freePort()];
  const env = baseEnv(dataDir, { HERON_SMTP_PORT: String(smtp), HERON_IMAP_PORT: String(imap), HERON_IMAPS_PORT: String(imaps) });
  const heron = startHeronProcess(env);
  try {
    await heron.waitFor(/"listener":"imaps"[^\n]*listening|listening[^\n]*"listener":"imaps"/);
    assert.match(await banner(smtp), /^220 mx\.heron\.test /);
    assert.match(await banner(imap), /^\* OK/);
    const cert = await new Promise<import('node:tls').PeerCertificate>((resolve, reject) => {
      const s = tlsConnect({ port: imaps, host: '127.0.0.1', servername: 'mx.heron.test', rejectUnauthorized: false }, () => {
        resolve(s.getPeerCertificate());
        s.end();
      });
      s.once('error', reject);
    });
    assert.match(cert.subjectaltname ?? '', /DNS:mx\.heron\.test/, 'a self-signed certificate for the host name is made on first start');
    assert.match(heron.output(), /self-signed certificate/, 'and the start-up log warns about it');
    await heron.waitFor(/Heron is running\. Next:/);
    assert.ok(existsSync(join(dataDir, 'heron.sqlite')));
  } finally {
    heron.child.kill('SIGTERM');
  }
  const { code } = await heron.exited;
  assert.equal(code, 0);
});

test('a port that cannot be bound is a clear startup error', async () => {
  const smtp = await freePort();
  const first = startHeronProcess(baseEnv(dataDir, { HERON_SMTP_PORT: String(smtp) }));
  try {
    await first.waitFor(/listening/);
    const second = startHeronProcess(baseEnv(dataDir, { HERON_SMTP_PORT: String(smtp) }));
    const { code } = await second.exited;
    assert.notEqual(code, 0);
    assert.match(second.output(), /cannot listen for smtp on 127\.0\.0\.1:\d+: EADDRINUSE.*HERON_SMTP_PORT/);
  } finally {
    first.child.kill('SIGTERM');
    await first.exited;
  }
});
