import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { openDatabase, type SqliteDb } from '../../store/sqlite/db.js';
import { createAccountStore } from '../../store/sqlite/accounts/index.js';
import { createCookieSession, createGateway, createTokenVerifier, SESSION_COOKIE, type TokenVerifier } from '../../gateway/index.js';

/** Raw HTTP (fetch hides Content-Encoding and refuses to set Cookie/Origin freely). */
function request(base: string, p: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(base + p, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('gateway: the web app at / and the cookie session', () => {
  let db: SqliteDb;
  let tokens: TokenVerifier;
  let dir: string;
  let server: http.Server;
  let base: string;
  const bigJs = 'export const x = ' + JSON.stringify('a'.repeat(4000)) + ';\n';

  before(async () => {
    db = openDatabase(':memory:');
    tokens = createTokenVerifier({ secret: 'web-app-test-secret', accounts: createAccountStore(db) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-webapp-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html lang="en"><title>t</title><script type="module" src="/assets/app-abc123.js"></script></html>');
    fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), bigJs);
    fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const gw = createGateway({
      logger: pino({ level: 'silent' }),
      metrics: new Registry(),
      tokens,
      webRoot: dir,
      session: createCookieSession({ secret: 'web-app-test-secret' }),
    });
    gw.routes.register({
      name: 'echo',
      prefixes: ['/v1/echo'],
      handler: async (ctx) => {
        ctx.body = { user: (ctx.state.auth as { userId?: string } | undefined)?.userId ?? null, via: ctx.state.authVia ?? null };
      },
    });
    server = http.createServer(gw.app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('index.html: strict CSP, no framing, revalidated on each load', async () => {
    const r = await request(base, '/');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/html/);
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /require-trusted-types-for 'script'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['cache-control'], 'no-cache');
    const again = await request(base, '/', { headers: { 'if-none-match': String(r.headers.etag) } });
    assert.equal(again.status, 304);
  });

  test('client-side routes get the app; hashed assets are immutable and compressed', async () => {
    const deep = await request(base, '/mail/abc/def');
    assert.equal(deep.status, 200);
    assert.match(deep.body.toString(), /app-abc123\.js/);
    const js = await request(base, '/assets/app-abc123.js', { headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(js.status, 200);
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(js.headers['content-encoding'], 'br');
    assert.equal(brotliDecompressSync(js.body).toString(), bigJs);
    const gz = await request(base, '/assets/app-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gunzipSync(gz.body).toString(), bigJs);
    const plain = await request(base, '/assets/app-abc123.js');
    assert.equal(plain.body.toString(), bigJs);
  });

  test('missing assets, API paths and other methods are not the app', async () => {
    assert.equal((await request(base, '/assets/nope-123.js')).status, 404);
    assert.equal((await request(base, '/favicon.ico')).status, 404);
    const api = await request(base, '/v1/nothing-here');
    assert.equal(api.status, 404);
    assert.equal(JSON.parse(api.body.toString()).error.code, 'not_found');
    assert.equal((await request(base, '/../../etc/passwd')).status, 200); // normalised to a client route: the app, never a file outside
    assert.doesNotMatch((await request(base, '/..%2f..%2fetc%2fpasswd')).body.toString(), /root:/);
    const post = await request(base, '/', { method: 'POST' });
    assert.equal(post.status, 404);
  });

  test('the session cookie authenticates; unsafe methods need the CSRF token and a same-origin Origin', async () => {
    const session = createCookieSession({ secret: 'web-app-test-secret' });
    const t = await tokens.issue('u-1');
    const cookie = `${SESSION_COOKIE}=${t.token}`;
    const get = await request(base, '/v1/echo', { headers: { cookie } });
    assert.deepEqual(JSON.parse(get.body.toString()), { user: 'u-1', via: 'cookie' });

    const noCsrf = await request(base, '/v1/echo', { method: 'POST', headers: { cookie } });
    assert.equal(noCsrf.status, 403);
    assert.equal(JSON.parse(noCsrf.body.toString()).error.code, 'csrf_failed');
    const wrong = await request(base, '/v1/echo', { method: 'POST', headers: { cookie, 'x-csrf-token': 'x'.repeat(43) } });
    assert.equal(wrong.status, 403);
    const csrf = session.csrfToken(t.jti);
    const ok = await request(base, '/v1/echo', { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, origin: base } });
    assert.equal(ok.status, 200);
    const cross = await request(base, '/v1/echo', { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, origin: 'https://evil.example' } });
    assert.equal(cross.status, 403);
    assert.equal(JSON.parse(cross.body.toString()).error.code, 'csrf_failed');

    // A revoked or forged cookie is no session (public routes keep working), not an error.
    await tokens.revoke(t.jti);
    const dead = await request(base, '/v1/echo', { headers: { cookie } });
    assert.deepEqual(JSON.parse(dead.body.toString()), { user: null, via: null });
    const junk = await request(base, '/v1/echo', { headers: { cookie: `${SESSION_COOKIE}=not.a.jwt` } });
    assert.deepEqual(JSON.parse(junk.body.toString()), { user: null, via: null });
  });

  test('a gateway without a built app answers 503 web_app_not_built at / and keeps the API', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-webapp-empty-'));
    const gw = createGateway({ logger: pino({ level: 'silent' }), metrics: new Registry(), tokens, webRoot: empty });
    const s = http.createServer(gw.app.callback());
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    try {
      const b = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
      const r = await request(b, '/');
      assert.equal(r.status, 503);
      assert.match(r.body.toString(), /^web_app_not_built/);
      assert.equal((await request(b, '/v1/health')).status, 200);
    } finally {
      await new Promise<void>((r) => s.close(() => r()));
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
