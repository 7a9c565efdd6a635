import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { createRspamdCheck, isFilterUnavailable, createChecks } from '../../filters/index.js';
import { SmtpReplies } from '../../domain/index.js';
import { compose, contextFor, daemonEnv, GTUBE, header, silentLogger, YJS } from './helpers.js';

const url = daemonEnv.rspamd;
const skip = url ? false : 'rspamd not running (HERON_TEST_RSPAMD_URL unset; run via npm test)';

describe('rspamd check against a real rspamd', { skip }, () => {
  const check = () => createRspamdCheck({ url: url!, timeoutMs: 10_000 });

  test('GTUBE is rejected 550 5.7.1 with rspamd message', async () => {
    const raw = await compose({ text: `Buy now\r\n${GTUBE}\r\n` });
    const v = await check().check(contextFor(raw));
    assert.equal(v.action, 'reject');
    assert.equal(v.reply?.code, 550);
    assert.equal(v.reply?.enhanced, '5.7.1');
    assert.match(v.reply?.message ?? '', /gtube/i);
    assert.match(header(v.headers, 'X-Spam-Status') ?? '', /^Yes, score=/);
  });

  test('YJS test pattern (add header) goes to junk', async () => {
    const raw = await compose({ text: `Maybe spam\r\n${YJS}\r\n` });
    const v = await check().check(contextFor(raw));
    assert.equal(v.action, 'junk');
    assert.equal(v.reply, undefined);
    assert.match(header(v.headers, 'X-Spam-Status') ?? '', /^Yes, /);
    assert.equal(header(v.headers, 'X-Spam-Action'), 'add header');
  });

  test('clean mail is accepted with X-Spam headers and symbols', async () => {
    const raw = await compose({ text: 'Hi Bob,\r\n\r\nLunch on Thursday at noon?\r\n\r\nAnn\r\n' });
    const v = await check().check(contextFor(raw, { rcpt: ['bob@heron.test', 'carol@heron.test'] }));
    assert.equal(v.action, 'accept');
    assert.match(header(v.headers, 'X-Spam-Status') ?? '', /^No, score=-?\d+\.\d\d required=\d+\.\d\d$/);
    assert.ok(header(v.headers, 'X-Spam-Score'));
    // Proof a scan happened (an empty POST also says "no action"): rspamd names symbols.
    assert.ok((header(v.headers, 'X-Spam-Symbols') ?? '').length > 0);
  });

  test('a large message streams through', async () => {
    const raw = await compose({ text: 'line of text that is not spam at all\r\n'.repeat(60_000) });
    assert.ok(raw.length > 2_000_000);
    const v = await check().check(contextFor(raw));
    assert.equal(v.action, 'accept');
  });

  test('hostile input: garbage, NUL bytes and header injection in envelope get a verdict, then it still serves', async () => {
    const garbage = Buffer.concat([Buffer.from('\0\0\xff\xfe not a message \r\n\r\n\0'), Buffer.alloc(5000, 0)]);
    const v1 = await check().check(
      contextFor(garbage, { mailFrom: 'evil@example.test\r\nX-Injected: yes', session: { heloName: 'x\0y\r\nz' } }),
    );
    assert.ok(['accept', 'junk', 'reject', 'tempfail'].includes(v1.action));
    for (const [name, value] of v1.headers ?? []) assert.doesNotMatch(`${name}${value}`, /[\r\n\0]/);
    const v2 = await check().check(contextFor(await compose({ text: `x\r\n${GTUBE}\r\n` })));
    assert.equal(v2.action, 'reject');
  });

  test('metrics count verdicts per filter through createChecks', async () => {
    const metrics = new Registry();
    const checks = createChecks({ rspamdUrl: url!, hostname: 'mx.heron.test', logger: silentLogger, metrics, mailauth: false });
    assert.deepEqual(checks.map((c) => c.name), ['rspamd']);
    await checks[0]!.check(contextFor(await compose({ text: `x\r\n${GTUBE}\r\n` })));
    const text = await metrics.metrics();
    assert.match(text, /heron_filter_verdicts_total\{filter="rspamd",action="reject"\} 1/);
    assert.match(text, /heron_filter_duration_seconds_count\{filter="rspamd",outcome="reject"\} 1/);
  });
});

describe('rspamd down or slow', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  before(async () => {
    // Accepts and reads, never answers: a hung daemon.
    silent = createServer((s) => {
      sockets.add(s);
      s.on('data', () => undefined);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  test('connection refused throws FilterUnavailableError carrying 451 4.7.0', async () => {
    const port = await freePort();
    const c = createRspamdCheck({ url: `http://127.0.0.1:${port}`, timeoutMs: 5000 });
    await assert.rejects(c.check(contextFor(await compose({ text: 'hi' }))), (err: unknown) => {
      assert.ok(isFilterUnavailable(err));
      assert.deepEqual(err.reply, SmtpReplies.filterUnavailable);
      assert.match(err.detail, /ECONNREFUSED/);
      return true;
    });
  });

  test('no answer before the deadline throws FilterUnavailableError', async () => {
    const { port } = silent.address() as AddressInfo;
    const c = createRspamdCheck({ url: `http://127.0.0.1:${port}`, timeoutMs: 300 });
    await assert.rejects(c.check(contextFor(await compose({ text: 'hi' }))), (err: unknown) => {
      assert.ok(isFilterUnavailable(err));
      assert.equal(err.reply.code, 451);
      assert.match(err.detail, /no answer within 300 ms/);
      return true;
    });
  });

  test('failures are counted as action="error"', async () => {
    const metrics = new Registry();
    const port = await freePort();
    const [c] = createChecks({ rspamdUrl: `http://127.0.0.1:${port}`, hostname: 'mx', logger: silentLogger, metrics, mailauth: false });
    await assert.rejects(c!.check(contextFor(await compose({ text: 'hi' }))));
    assert.match(await metrics.metrics(), /heron_filter_verdicts_total\{filter="rspamd",action="error"\} 1/);
  });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}
