import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClamavCheck, isFilterUnavailable, parseHostPort } from '../../filters/index.js';
import { SmtpReplies } from '../../domain/index.js';
import { compose, contextFor, daemonEnv, EICAR, header } from './helpers.js';
import { freePort, startOwnClamd, type OwnClamd } from './clamd-process.js';

const skip = daemonEnv.clamd ? false : 'clamd not running (HERON_TEST_CLAMD unset; run via npm test)';
const skipOwn = daemonEnv.clamdDb ? false : 'no clamd signature db (HERON_TEST_CLAMD_DB unset; run via npm test)';

describe('ClamAV check against the shared clamd', { skip }, () => {
  const check = () => createClamavCheck({ address: daemonEnv.clamd!, timeoutMs: 10_000, hostname: 'mx.heron.test' });

  test('EICAR as a base64 attachment is rejected 554 5.7.1 naming the virus', async () => {
    const raw = await compose({ text: 'see attached', attachments: [{ filename: 'eicar.com', content: Buffer.from(EICAR) }] });
    assert.match(raw.toString(), /Content-Transfer-Encoding: base64/i);
    assert.ok(!raw.includes(EICAR), 'the attachment is encoded, clamd must decode it');
    const v = await check().check(contextFor(raw));
    assert.equal(v.action, 'reject');
    assert.equal(v.reply?.code, 554);
    assert.equal(v.reply?.enhanced, '5.7.1');
    assert.match(v.reply?.message ?? '', /virus \(.*Eicar.*\)/i);
  });

  test('clean mail is accepted with X-Virus-Scanned', async () => {
    const raw = await compose({ text: 'nothing to see', attachments: [{ filename: 'a.txt', content: 'hello' }] });
    const v = await check().check(contextFor(raw));
    assert.equal(v.action, 'accept');
    assert.equal(header(v.headers, 'X-Virus-Scanned'), 'ClamAV at mx.heron.test');
    assert.equal(header(v.headers, 'X-Virus-Status'), 'Clean');
  });

  test('hostile input: NUL bytes and binary garbage get a verdict, then it still serves', async () => {
    const garbage = Buffer.alloc(300_000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) & 0xff;
    const v1 = await check().check(contextFor(garbage));
    assert.equal(v1.action, 'accept');
    const v2 = await check().check(contextFor(Buffer.alloc(0)));
    assert.equal(v2.action, 'accept');
    const raw = await compose({ text: 'x', attachments: [{ filename: 'e.com', content: Buffer.from(EICAR) }] });
    assert.equal((await check().check(contextFor(raw))).action, 'reject');
  });

  test('maxScanBytes applies the oversize policy without scanning', async () => {
    const raw = await compose({ text: 'x'.repeat(5000) });
    const reject = createClamavCheck({ address: daemonEnv.clamd!, timeoutMs: 5000, hostname: 'mx', maxScanBytes: 1000, oversize: 'reject' });
    const v = await reject.check(contextFor(raw));
    assert.equal(v.action, 'reject');
    assert.equal(v.reply?.code, 552);
    assert.equal(v.reply?.enhanced, '5.3.4');
  });
});

describe('ClamAV with a clamd of the test own', { skip: skipOwn }, () => {
  let own: OwnClamd | undefined;
  after(async () => {
    await own?.stop();
  });

  test('over StreamMaxLength: never a silent pass (marked unscanned, or 451 per policy)', async () => {
    own = await startOwnClamd(daemonEnv.clamdDb!, { streamMaxLength: '1M' });
    const raw = await compose({ text: 'y'.repeat(80).concat('\r\n').repeat(30_000) });
    assert.ok(raw.length > 2 * 1024 * 1024);
    // Configured with clamd's limit: decided before streaming, deterministic.
    const known = { address: own.address, timeoutMs: 10_000, hostname: 'mx', maxScanBytes: 1024 * 1024 };
    const v = await createClamavCheck(known).check(contextFor(raw));
    assert.equal(v.action, 'accept');
    assert.match(header(v.headers, 'X-Virus-Scan') ?? '', /^skipped/);
    const t = await createClamavCheck({ ...known, oversize: 'tempfail' }).check(contextFor(raw));
    assert.equal(t.action, 'tempfail');
    assert.deepEqual(t.reply, SmtpReplies.filterUnavailable);
    // Limit unknown to Heron: clamd's "size limit exceeded" reply (or, if the hang-up wins the
    // race, a filter failure) — either way the message is not passed as scanned.
    for (let i = 0; i < 3; i++) {
      try {
        const u = await createClamavCheck({ address: own.address, timeoutMs: 10_000, hostname: 'mx' }).check(contextFor(raw));
        assert.equal(u.action, 'accept');
        assert.match(header(u.headers, 'X-Virus-Scan') ?? '', /^skipped \(over the scanner size limit\)/);
        assert.equal(header(u.headers, 'X-Virus-Status'), undefined);
      } catch (err) {
        assert.ok(isFilterUnavailable(err), String(err));
      }
    }
    // And clamd still serves afterwards.
    const small = await compose({ text: 'x', attachments: [{ filename: 'e.com', content: Buffer.from(EICAR) }] });
    const after = await createClamavCheck(known).check(contextFor(small));
    assert.equal(after.action, 'reject');
  });

  test('clamd stopped: the check throws FilterUnavailableError (451 4.7.0)', async () => {
    own ??= await startOwnClamd(daemonEnv.clamdDb!);
    const c = createClamavCheck({ address: own.address, timeoutMs: 5000, hostname: 'mx' });
    const raw = await compose({ text: 'hello' });
    assert.equal((await c.check(contextFor(raw))).action, 'accept');
    await own.stop();
    await assert.rejects(c.check(contextFor(raw)), (err: unknown) => {
      assert.ok(isFilterUnavailable(err));
      assert.deepEqual(err.reply, SmtpReplies.filterUnavailable);
      return true;
    });
  });
});

describe('ClamAV address and connection errors', () => {
  test('unreachable clamd throws FilterUnavailableError', async () => {
    const c = createClamavCheck({ address: `127.0.0.1:${await freePort()}`, timeoutMs: 2000, hostname: 'mx' });
    await assert.rejects(c.check(contextFor(Buffer.from('x'))), (err: unknown) => isFilterUnavailable(err) && /ECONNREFUSED/.test(err.detail));
  });

  test('bad host:port is refused at construction', () => {
    assert.throws(() => parseHostPort('localhost'), /host:port/);
    assert.throws(() => parseHostPort('h:99999'), /host:port/);
    assert.deepEqual(parseHostPort('[::1]:3310'), { host: '::1', port: 3310 });
  });
});
