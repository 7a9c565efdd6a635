import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { connect } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { createWellKnownHandler } from '../../../gateway/wellknown/index.js';
import { createWellKnownListener, type WellKnownListener } from '../../../server/wellknown-listener.js';
import { createTlsHolder } from '../../../server/tls/tls-holder.js';
import { createTestCa, type TestCa } from '../../helpers/test-ca.js';
import { xmllint } from './xml-check.js';

const logger = pino({ level: 'silent' });
const execFileAsync = promisify(execFile);
let ca: TestCa;
let plain: WellKnownListener;
let secure: WellKnownListener;
let httpPort = 0;
let httpsPort = 0;
const challenges = new Map([['tok-123', 'tok-123.thumbprint']]);

before(async () => {
  ca = createTestCa();
  const leaf = ca.issue(['mail.example.test', 'example.test', 'autoconfig.example.test', 'autodiscover.example.test', 'mta-sts.example.test']);
  const handler = createWellKnownHandler({
    settings: { hostname: 'mail.example.test', ports: { imaps: 993, imap: 143, submissions: 465, submission: 587 } },
    isLocalDomain: async (d) => d === 'example.test',
    mtaSts: { mode: 'enforce', maxAgeSec: 86_400 },
    acmeChallenge: (t) => challenges.get(t),
    logger,
  });
  const fallback: http.RequestListener = (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('the web app');
  };
  secure = createWellKnownListener({ handler, tls: createTlsHolder({ key: leaf.key, cert: leaf.cert }), httpsPort: 0, fallback, logger });
  httpsPort = await secure.listen(0, '127.0.0.1');
  plain = createWellKnownListener({ handler, httpsPort, logger });
  httpPort = await plain.listen(0, '127.0.0.1');
});

after(async () => {
  await plain.close();
  await secure.close();
  rmSync(ca.dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function call(opts: { path: string; host?: string; sni?: string; method?: string; body?: string; headers?: Record<string, string>; tls?: boolean }): Promise<Answer> {
  const host = opts.host ?? 'mail.example.test';
  const options = {
    host: '127.0.0.1',
    port: opts.tls ? httpsPort : httpPort,
    method: opts.method ?? 'GET',
    path: opts.path,
    headers: { Host: host, ...opts.headers },
    ...(opts.tls ? { servername: opts.sni ?? host, ca: ca.cert } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (opts.tls ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const AUTODISCOVER_REQUEST = (address: string, schema = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a') =>
  `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>${address}</EMailAddress><AcceptableResponseSchema>${schema}</AcceptableResponseSchema></Request></Autodiscover>`;

test('Thunderbird: both autoconfig URLs, by emailaddress or by host, over HTTP and HTTPS', async () => {
  for (const [path, host, tls] of [
    ['/mail/config-v1.1.xml?emailaddress=ann%40example.test', 'autoconfig.example.test', true],
    ['/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=ann@example.test', 'example.test', true],
    ['/mail/config-v1.1.xml', 'autoconfig.example.test', false],
  ] as const) {
    const r = await call({ path, host, tls });
    assert.equal(r.status, 200, path);
    assert.match(String(r.headers['content-type']), /^application\/xml/);
    assert.equal(xmllint(r.body, { xsd: 'autoconfig.xsd' }), '');
  }
  assert.equal((await call({ path: '/mail/config-v1.1.xml?emailaddress=ann@elsewhere.test', tls: true })).status, 404);
  assert.equal((await call({ path: '/mail/config-v1.1.xml?emailaddress=not-an-address', tls: true })).status, 404);
  assert.equal((await call({ path: '/mail/config-v1.1.xml', method: 'POST', tls: true })).status, 405);
});

test('curl over TLS with SNI gets the autoconfig document on the well-known name', async () => {
  // Async: the server answering runs in this process.
  const { stdout: out } = await execFileAsync('curl', ['-sS', '--max-time', '20', '--fail', '--cacert', ca.certPath, '--resolve', `autoconfig.example.test:${httpsPort}:127.0.0.1`,
    `https://autoconfig.example.test:${httpsPort}/mail/config-v1.1.xml?emailaddress=ann@example.test`], { encoding: 'utf8' });
  assert.match(out, /<clientConfig version="1.1">/);
});

test('Outlook: POST autodiscover.xml gives settings, or error 600/601, validated against the schema', async () => {
  const ok = await call({ path: '/Autodiscover/Autodiscover.xml', method: 'POST', body: AUTODISCOVER_REQUEST('ann@example.test'), headers: { 'Content-Type': 'text/xml' }, host: 'autodiscover.example.test', tls: true });
  assert.equal(ok.status, 200);
  assert.equal(xmllint(ok.body, { xsd: 'autodiscover.xsd' }), '');
  assert.match(ok.body, /<LoginName>ann@example\.test<\/LoginName>/);

  const foreign = await call({ path: '/autodiscover/autodiscover.xml', method: 'POST', body: AUTODISCOVER_REQUEST('bob@elsewhere.test'), tls: true });
  assert.equal(xmllint(foreign.body, { xsd: 'autodiscover.xsd' }), '');
  assert.match(foreign.body, /<ErrorCode>600<\/ErrorCode>/);
  const mobile = await call({ path: '/autodiscover/autodiscover.xml', method: 'POST', body: AUTODISCOVER_REQUEST('ann@example.test', 'http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006'), tls: true });
  assert.match(mobile.body, /<ErrorCode>601<\/ErrorCode>/);
  const junk = await call({ path: '/autodiscover/autodiscover.xml', method: 'POST', body: '\u0000\u0001 not xml', tls: true });
  assert.match(junk.body, /<ErrorCode>600<\/ErrorCode>/);
});

test('autodiscover refuses the wrong method, media type and oversized bodies by status and code', async () => {
  const get = await call({ path: '/autodiscover/autodiscover.xml', tls: true });
  assert.equal(get.status, 405);
  assert.equal(get.headers.allow, 'POST');
  const json = await call({ path: '/autodiscover/autodiscover.xml', method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' }, tls: true });
  assert.equal(json.status, 415);
  assert.equal(JSON.parse(json.body).error.code, 'unsupported_media_type');
  const big = await call({ path: '/autodiscover/autodiscover.xml', method: 'POST', body: 'x'.repeat(64 * 1024), tls: true });
  assert.equal(big.status, 413);
  assert.equal(JSON.parse(big.body).error.code, 'payload_too_large');
  // Chunked, no Content-Length: the cap holds while streaming.
  const chunked = await new Promise<number>((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: httpsPort, method: 'POST', path: '/autodiscover/autodiscover.xml', servername: 'mail.example.test', ca: ca.cert, headers: { Host: 'mail.example.test', 'Transfer-Encoding': 'chunked' } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    for (let i = 0; i < 40; i++) req.write('y'.repeat(1024));
    req.end();
  });
  assert.equal(chunked, 413);
});

test('autodiscover JSON: path and query forms, AutodiscoverV1 only', async () => {
  const a = await call({ path: '/autodiscover/autodiscover.json/v1.0/ann@example.test?Protocol=AutodiscoverV1', tls: true });
  assert.equal(a.status, 200);
  assert.deepEqual(JSON.parse(a.body), { Protocol: 'AutodiscoverV1', Url: 'https://mail.example.test/autodiscover/autodiscover.xml' });
  const b = await call({ path: '/autodiscover/autodiscover.json?Email=ann%40example.test&Protocol=autodiscoverv1', tls: true });
  assert.equal(b.status, 200);
  const c = await call({ path: '/autodiscover/autodiscover.json/v1.0/ann@example.test?Protocol=ActiveSync', tls: true });
  assert.equal(c.status, 400);
  assert.equal(JSON.parse(c.body).ErrorCode, 'InvalidProtocol');
  assert.equal((await call({ path: '/autodiscover/autodiscover.json/v1.0/%ZZ?Protocol=AutodiscoverV1', tls: true })).status, 404);
  assert.equal((await call({ path: '/autodiscover/autodiscover.json/v1.0/x@elsewhere.test?Protocol=AutodiscoverV1', tls: true })).status, 404);
});

test('Apple: the .mobileconfig download', async () => {
  const r = await call({ path: '/apple.mobileconfig?emailaddress=ann@example.test', tls: true });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/x-apple-aspen-config');
  assert.equal(r.headers['content-disposition'], 'attachment; filename="ann@example.test.mobileconfig"');
  assert.equal(xmllint(r.body, { dtd: 'plist.dtd' }), '');
  assert.equal((await call({ path: '/apple.mobileconfig', tls: true })).status, 400);
  assert.equal((await call({ path: '/apple.mobileconfig?emailaddress=a@elsewhere.test', tls: true })).status, 404);
});

test('MTA-STS: served over HTTPS on mta-sts.<domain> only', async () => {
  const r = await call({ path: '/.well-known/mta-sts.txt', host: 'mta-sts.example.test', tls: true });
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^text\/plain/);
  assert.equal(r.body, 'version: STSv1\r\nmode: enforce\r\nmx: mail.example.test\r\nmax_age: 86400\r\n');
  assert.equal((await call({ path: '/.well-known/mta-sts.txt', host: 'mta-sts.example.test' })).status, 404, 'not over plain HTTP');
  assert.equal((await call({ path: '/.well-known/mta-sts.txt', host: 'mail.example.test', tls: true })).status, 404);
  assert.equal((await call({ path: '/.well-known/mta-sts.txt', host: 'mta-sts.elsewhere.test', sni: 'mail.example.test', tls: true })).status, 404);
});

test('ACME http-01 answers, redirects and the fallback', async () => {
  const r = await call({ path: '/.well-known/acme-challenge/tok-123', host: 'mail.example.test' });
  assert.equal(r.status, 200);
  assert.equal(r.body, 'tok-123.thumbprint');
  assert.equal((await call({ path: '/.well-known/acme-challenge/other' })).status, 404);
  const redirect = await call({ path: '/inbox?x=1', host: 'mail.example.test' });
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.location, `https://mail.example.test:${httpsPort}/inbox?x=1`);
  const web = await call({ path: '/', tls: true });
  assert.equal(web.body, 'the web app');
  assert.equal((await call({ path: '/', host: 'bad host!' })).status, 404);
});

test('hostile requests get 4xx, never a 500 or a hang', async () => {
  const raw = (text: string) =>
    new Promise<string>((resolve) => {
      const s = connect(httpPort, '127.0.0.1', () => s.end(text));
      let out = '';
      s.on('data', (d: Buffer) => (out += d.toString()));
      s.on('close', () => resolve(out));
    });
  assert.match(await raw('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 4\d\d/);
  assert.match(await raw(`GET /mail/config-v1.1.xml?emailaddress=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), /^HTTP\/1\.1 (404|414|431)/);
  assert.match(await raw(`GET / HTTP/1.1\r\nHost: x\r\nX: ${'b'.repeat(20_000)}\r\n\r\n`), /^HTTP\/1\.1 431/);
  assert.equal((await call({ path: `/mail/config-v1.1.xml?emailaddress=${encodeURIComponent('<x>@example.test')}` })).status, 404);
});
