import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createConnectionGate } from '../../limits/index.js';
import { createSubmissionServer } from '../../smtp/submission/index.js';
import { startEnv, testResolver } from '../outbound/harness.js';
import { RawSmtp } from '../smtp/helpers/raw-smtp.js';
import { startApi } from '../admin-api/helpers.js';
import { createWellKnownListener } from '../../server/wellknown-listener.js';
import { createTlsHolder } from '../../server/tls/tls-holder.js';
import { makeSelfSignedCert } from '../helpers/tls.js';
import { createImapServer } from '../../imap/index.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { openSqliteStore } from '../../store/sqlite/index.js';

/**
 * Issue 9, "submission has no per-IP connection cap": 500 connections from one address were
 * accepted, and then every other client got 421. One gate (limits/) now caps each listener per IP.
 */
for (const { port: label, secure, listener } of [
  { port: 465, secure: true, listener: 'submissions' },
  { port: 587, secure: false, listener: 'submission' },
]) {
  test(`submission (${label}): one address gets 5 sessions and a 421 for the 6th; another address is still greeted`, async () => {
    const env = await startEnv({ resolver: testResolver({}) });
    const metrics = new Registry();
    const gate = createConnectionGate({ perIp: 5, metrics });
    const server = createSubmissionServer({ ...env.submitterOptions, submitter: env.submitter, tls: env.tls, secure, connectionGate: gate, limits: { maxMessageSize: 1024, socketTimeoutMs: 10_000, closeTimeoutMs: 200 } });
    const port = await server.listen(0, '127.0.0.1');
    const openFrom = (ip: string) => (secure ? RawSmtp.openTls(port, ip) : RawSmtp.open(port, ip));
    const open: RawSmtp[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const c = await openFrom('127.0.0.2');
        open.push(c);
        assert.match((await c.reply()) ?? '', /^220/);
      }
      const extra = await openFrom('127.0.0.2');
      assert.match((await extra.reply()) ?? '', /^421/);
      extra.close();
      const other = await openFrom('127.0.0.3');
      assert.match((await other.reply()) ?? '', /^220/);
      assert.match((await other.command('EHLO other.test')) ?? '', /^250/, 'and served');
      other.close();
      open.pop()!.close();
      await new Promise((r) => setTimeout(r, 200));
      const again = await openFrom('127.0.0.2');
      assert.match((await again.reply()) ?? '', /^220/, 'a closed session frees its slot');
      again.close();
      assert.match(await metrics.metrics(), new RegExp(`heron_connections_refused_total\\{listener="${listener}"\\} 1`));
    } finally {
      for (const c of open) c.close();
      await server.close();
      await env.close();
    }
  });
}

function rawHttp(port: number, localAddress: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', localAddress }, () => resolve(s));
    s.once('error', reject);
  });
}

function request(s: Socket, path: string): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    s.setEncoding('latin1');
    s.on('data', (d: string) => (out += d));
    s.on('close', () => resolve(out));
    s.on('error', () => resolve(out));
    s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  });
}

test('HTTP API: idle connections from one address fill its cap; the next one is answered 503 too_many_connections, others are served', async () => {
  const gate = createConnectionGate({ perIp: 20, perListener: { api: 3 } });
  const h = await startApi({ connectionGate: gate });
  const port = Number(new URL(h.base).port);
  const idle: Socket[] = [];
  try {
    for (let i = 0; i < 3; i++) idle.push(await rawHttp(port, '127.0.0.4'));
    await new Promise((r) => setTimeout(r, 100));
    const over = await request(await rawHttp(port, '127.0.0.4'), '/v1/health');
    assert.match(over, /^HTTP\/1\.1 503 /);
    assert.match(over, /too_many_connections/);
    const fine = await request(await rawHttp(port, '127.0.0.5'), '/v1/health');
    assert.match(fine, /^HTTP\/1\.1 200 /);
  } finally {
    for (const s of idle) s.destroy();
    await h.close();
  }
});

const pem = (c: { key: Buffer; cert: Buffer }) => ({ key: c.key.toString(), cert: c.cert.toString() });

/** A TLS connection from `localAddress` that has finished its handshake. */
function rawHttps(port: number, localAddress: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false, ...{ localAddress } }, () => resolve(s));
    s.once('error', reject);
  });
}

test('well-known HTTP (80) and HTTPS (443): one address filling its cap gets 503 too_many_connections, another is served', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'heron-cap-wk-'));
  const metrics = new Registry();
  const gate = createConnectionGate({ perIp: 20, perListener: { http: 2, https: 2 }, metrics });
  const logger = pino({ level: 'silent' });
  const handler = async () => false;
  const listeners = [
    { name: 'http', open: rawHttp, l: createWellKnownListener({ handler, httpsPort: 0, logger, connectionGate: gate }) },
    { name: 'https', open: rawHttps, l: createWellKnownListener({ handler, tls: createTlsHolder(pem(makeSelfSignedCert(dir))), httpsPort: 0, logger, connectionGate: gate }) },
  ];
  const idle: Socket[] = [];
  try {
    for (const { name, open, l } of listeners) {
      const port = await l.listen(0, '127.0.0.1');
      for (let i = 0; i < 2; i++) idle.push(await open(port, '127.0.0.6'));
      await new Promise((r) => setTimeout(r, 100));
      const over = await request(await open(port, '127.0.0.6'), '/');
      assert.match(over, /^HTTP\/1\.1 503 /, name);
      assert.match(over, /too_many_connections/, name);
      const fine = await request(await open(port, '127.0.0.7'), '/');
      assert.match(fine, /^HTTP\/1\.1 404 /, `${name}: another address reaches the handler`);
      assert.match(await metrics.metrics(), new RegExp(`heron_connections_refused_total\\{listener="${name}"\\} 1`));
    }
  } finally {
    for (const s of idle) s.destroy();
    for (const { l } of listeners) await l.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The first line the server sends. */
function greeting(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      out += d;
      if (out.includes('\r\n')) resolve(out.split('\r\n')[0]!);
    });
    s.on('close', () => resolve(out));
  });
}

test('IMAP 143 and 993: each listener is capped per IP under its own name; the other one still greets', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'heron-cap-imap-'));
  const blobs = createFsBlobStore(join(dir, 'blobs'));
  const notifier = createMemoryNotifier();
  const store = await openSqliteStore({ path: join(dir, 'db.sqlite'), blobs, notifier });
  const metrics = new Registry();
  const gate = createConnectionGate({ perIp: 2, metrics });
  const common = { users: store.users, mail: store.mail, blobs, notifier, logger: pino({ level: 'silent' }), hostname: 'localhost', tls: pem(makeSelfSignedCert(dir)), connectionGate: gate };
  const servers = [createImapServer({ ...common, metrics: new Registry(), secure: false }), createImapServer({ ...common, metrics: new Registry(), secure: true })];
  const [plainPort, securePort] = [await servers[0]!.listen(0, '127.0.0.1'), await servers[1]!.listen(0, '127.0.0.1')];
  const idle: Socket[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const s = await rawHttp(plainPort!, '127.0.0.8');
      idle.push(s);
      assert.match(await greeting(s), /^\* OK/);
    }
    const over = await rawHttp(plainPort!, '127.0.0.8');
    idle.push(over);
    assert.match(await greeting(over), /^\* BYE/);
    const tlsSide = await rawHttps(securePort!, '127.0.0.8');
    idle.push(tlsSide);
    assert.match(await greeting(tlsSide), /^\* OK/, '993 has its own count');
    const text = await metrics.metrics();
    assert.match(text, /heron_connections_refused_total\{listener="imap"\} 1/);
    assert.doesNotMatch(text, /heron_connections_refused_total\{listener="imaps"\}/);
    assert.match(text, /heron_connections_open\{listener="imaps"\} 1/);
  } finally {
    for (const s of idle) s.destroy();
    for (const s of servers) await s.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
