import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAccountStore } from '../../store/sqlite/accounts/index.js';
import { createSubmissionServer, type SubmissionServer } from '../../smtp/submission/index.js';
import { startEnv, testResolver, type Env } from '../outbound/harness.js';
import { authPlain, sendRaw, testPolicy } from './helpers.js';

/**
 * Issue 9, "sender spoofing through submission": logged in as bob, a header block whose bare CR
 * hid `From: ann@...` from the checks was accepted, stored and DKIM-signed without From in h=.
 * Now the message is line-normalised first, so the check sees ann's From and refuses it.
 */
describe('submission: one header model (bare CR/LF, no size window)', () => {
  let env: Env;
  let server: SubmissionServer;
  let port: number;

  before(async () => {
    env = await startEnv({ resolver: testResolver({}) });
    const policy = testPolicy(env.store.users, createAccountStore(env.store.db));
    server = createSubmissionServer({ ...env.submitterOptions, submitter: env.submitter, tls: env.tls, secure: true, loginPolicy: policy, limits: { maxMessageSize: 4 * 1024 * 1024, socketTimeoutMs: 10_000, closeTimeoutMs: 500 } });
    port = await server.listen(0, '127.0.0.1');
  });
  after(async () => {
    await server.close();
    await env.close();
  });

  const annInbox = async () => (await env.messages(env.ann, 'INBOX')).map((m) => m.header!.from);

  test('bare CR smuggling a From: refused 553 5.7.1, nothing stored; the session keeps working', async () => {
    const { c, reply } = await authPlain(port, 'bob@heron.test', 'bob-secret-pw');
    assert.match(reply, /^235/);
    const attack = Buffer.from('X-A: a\rFrom: ann@heron.test\n\r\nFrom: bob@heron.test\r\nTo: ann@heron.test\r\nSubject: spoof\r\n\r\nhello\r\n', 'latin1');
    const r = await sendRaw(c, 'bob@heron.test', 'ann@heron.test', attack);
    assert.match(r, /^553 5\.7\.1/);
    assert.equal((await annInbox()).length, 0);
    await c.command('RSET');
    const ok = await sendRaw(c, 'bob@heron.test', 'ann@heron.test', Buffer.from('From: bob@heron.test\r\nTo: ann@heron.test\r\nSubject: fine\r\n\r\nhi\r\n'));
    assert.match(ok, /^250/);
    const stored = (await env.rawOf(env.ann, 'INBOX')).find((x) => x.includes('Subject: fine'))!;
    const h = /h=([^;]+);/.exec(stored.replace(/\r\n\s+/g, ' '))![1]!.split(':');
    assert.ok(h.filter((x) => x === 'from').length >= 2, 'From signed and oversigned');
    c.close();
  });

  test('a From after 300 KB of headers is still checked: 553 5.7.1', async () => {
    const { c } = await authPlain(port, 'bob@heron.test', 'bob-secret-pw');
    const filler = Array.from({ length: 3000 }, (_, i) => `X-Filler-${i}: ${'x'.repeat(96)}\r\n`).join('');
    const msg = Buffer.from(`From: bob@heron.test\r\n${filler}From: ann@heron.test\r\nSubject: late\r\n\r\nbody\r\n`);
    assert.ok(msg.length > 300 * 1024);
    assert.match(await sendRaw(c, 'bob@heron.test', 'ann@heron.test', msg), /^55[34] 5\.[67]\.[01]/);
    assert.equal((await annInbox()).filter((f) => /late/.test(String(f))).length, 0);
    await c.command('RSET');
    // The only From, after 300 KB: the ownership check reads it (553, not "no From").
    const only = Buffer.from(`${filler}From: ann@heron.test\r\nSubject: only late\r\n\r\nbody\r\n`);
    assert.match(await sendRaw(c, 'bob@heron.test', 'ann@heron.test', only), /^553 5\.7\.1/);
    await c.command('RSET');
    // And the bare-CR smuggle placed after 300 KB of bare-LF headers.
    const lfFiller = filler.replace(/\r\n/g, '\n');
    const hidden = Buffer.from(`From: bob@heron.test\n${lfFiller}X-A: a\rFrom: ann@heron.test\nSubject: hidden late\n\nbody\n`, 'latin1');
    assert.ok(hidden.length > 256 * 1024);
    assert.match(await sendRaw(c, 'bob@heron.test', 'ann@heron.test', hidden), /^55[34] 5\.[67]\.[01]/);
    assert.equal((await annInbox()).filter((f) => /late/.test(String(f))).length, 0);
    await c.command('RSET');
    assert.match(await sendRaw(c, 'bob@heron.test', 'ann@heron.test', Buffer.from(`From: bob@heron.test\r\n${filler}Subject: big but honest\r\n\r\nbody\r\n`)), /^250/, 'a large honest header block is fine');
    c.close();
  });

  test('a header block over 1 MiB: 552 5.3.4; bare LF lines are normalised and accepted', async () => {
    const { c } = await authPlain(port, 'bob@heron.test', 'bob-secret-pw');
    const filler = Array.from({ length: 11_000 }, (_, i) => `X-F-${i}: ${'y'.repeat(100)}\r\n`).join('');
    assert.match(await sendRaw(c, 'bob@heron.test', 'ann@heron.test', Buffer.from(`From: bob@heron.test\r\n${filler}\r\nbody\r\n`)), /^552 5\.3\.4/);
    await c.command('RSET');
    const lf = Buffer.from('From: bob@heron.test\nTo: ann@heron.test\nSubject: lf only\n\nline\n');
    assert.match(await sendRaw(c, 'bob@heron.test', 'ann@heron.test', lf), /^250/);
    const stored = (await env.rawOf(env.ann, 'INBOX')).find((x) => x.includes('lf only'))!;
    assert.doesNotMatch(stored.replace(/\r\n/g, ''), /[\r\n]/, 'stored with CRLF only');
    c.close();
  });
});
