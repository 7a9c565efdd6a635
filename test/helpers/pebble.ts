import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { ensureCommand } from './debian.js';
import { freePort } from './heron-process.js';
import type { TestCa } from './test-ca.js';

export interface Pebble {
  directoryUrl: string;
  /** PEM of the root that signs what this run issues (pebble makes a new one per start). */
  root(): Promise<string>;
  stop(): Promise<void>;
}

function get(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Let's Encrypt's test ACME server (Debian package pebble, RFC 8555) on loopback: its own HTTPS
 * with a certificate from the test CA, http-01 validation against `httpPort` on 127.0.0.1 with
 * names resolved by `dnsServer`.
 */
export async function startPebble(opts: { dir: string; ca: TestCa; httpPort: number; dnsServer: string }): Promise<Pebble> {
  const bin = ensureCommand('pebble', 'pebble');
  const [port, management, tlsPort] = [await freePort(), await freePort(), await freePort()];
  const leaf = opts.ca.issue(['127.0.0.1', 'localhost'], { dir: opts.dir, file: 'pebble' });
  const config = join(opts.dir, 'pebble.json');
  writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${port}`,
        managementListenAddress: `127.0.0.1:${management}`,
        certificate: leaf.certPath,
        privateKey: leaf.keyPath,
        httpPort: opts.httpPort,
        tlsPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const child: ChildProcess = spawn(bin, ['-config', config, '-dnsserver', opts.dnsServer, '-strict=false'], {
    env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '100' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const directoryUrl = `https://127.0.0.1:${port}/dir`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pebble exited: ${log}`);
    const ok = await get(directoryUrl, opts.ca.cert).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`pebble did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    directoryUrl,
    async root() {
      // The management API serves with the same certificate as the ACME endpoint.
      return (await get(`https://127.0.0.1:${management}/roots/0`, opts.ca.cert)).body;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
