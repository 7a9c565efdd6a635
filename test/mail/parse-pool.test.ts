import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../mail/mime/index.js';
import { ParsePool, PoolSaturatedError, pooledPrepare } from '../../mail/parse-pool/index.js';
import { createMemoryBlobStore } from '../helpers/memory-blobs.js';

const small = Buffer.from('From: a@remote.test\r\nTo: b@heron.test\r\nSubject: hi\r\n\r\nHello\r\n');
const bareLf = Buffer.from('From: a@remote.test\nSubject: lf\n\nline one\nline two\n');

/** A multipart message with a base64 attachment of `n` bytes (big enough to be a blob). */
function withAttachment(n: number): Buffer {
  const b64 = Buffer.alloc(n, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    'From: a@remote.test\r\nSubject: att\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n' +
      '--b1\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n' +
      `--b1\r\nContent-Type: application/octet-stream; name="x.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--b1--\r\n`,
  );
}

describe('parse pool', () => {
  const pools: ParsePool[] = [];
  const pool = (opts: ConstructorParameters<typeof ParsePool>[0]) => {
    const p = new ParsePool(opts);
    pools.push(p);
    return p;
  };
  after(async () => {
    for (const p of pools) await p.close();
  });

  test('a worker parses exactly what parseMessage gives on the calling thread', async () => {
    const p = pool({ size: 2 });
    for (const raw of [small, bareLf, withAttachment(300_000), Buffer.alloc(0)]) {
      const viaPool = await p.parse(raw);
      assert.ok(Buffer.isBuffer(viaPool.bytes));
      assert.deepEqual(viaPool, parseMessage(raw));
    }
  });

  test('the caller keeps its buffer (the worker gets a copy)', async () => {
    const p = pool({ size: 1 });
    const raw = withAttachment(50_000);
    const before = Buffer.from(raw);
    await p.parse(raw);
    assert.equal(raw.length, before.length);
    assert.ok(raw.equals(before));
  });

  test('pooledPrepare stores large parts as blobs on the calling thread', async () => {
    const blobs = createMemoryBlobStore();
    const prepared = await pooledPrepare(pool({ size: 1 }), { blobThreshold: 1024 })(withAttachment(200_000), blobs);
    assert.equal(prepared.blobIds.length, 1);
    assert.ok(await blobs.has(prepared.blobIds[0]!));
  });

  test('a full queue refuses with 451 4.3.2 instead of growing', async () => {
    const p = pool({ size: 1, maxQueued: 2 });
    const big = withAttachment(3_000_000);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => p.parse(big)));
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3, 'one parsing + two queued');
    assert.equal(refused.length, 5);
    for (const r of refused) {
      const err = (r as PromiseRejectedResult).reason as PoolSaturatedError;
      assert.ok(err instanceof PoolSaturatedError);
      assert.equal(err.reply.code, 451);
      assert.equal(err.reply.enhanced, '4.3.2');
    }
    assert.equal(p.stats.queued, 0);
  });

  test('saturated is true only while every worker is busy and the queue is full', async () => {
    const p = pool({ size: 1, maxQueued: 1 });
    assert.equal(p.saturated, false);
    const big = withAttachment(3_000_000);
    const a = p.parse(big);
    assert.equal(p.saturated, false, 'one may still wait');
    const b = p.parse(big);
    assert.equal(p.saturated, true);
    await Promise.all([a, b]);
    assert.equal(p.saturated, false);
  });

  test('a queue over its byte budget refuses, but one message always gets in', async () => {
    const p = pool({ size: 1, maxQueued: 100, maxQueuedBytes: 1000 });
    const big = withAttachment(100_000);
    const results = await Promise.allSettled([p.parse(big), p.parse(big), p.parse(big)]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected']);
  });

  test('a parse past its deadline gets a system error (451) and the worker is replaced', async () => {
    const p = pool({ size: 1, timeoutMs: 40 });
    const started = Date.now();
    const err = await p.parse(withAttachment(30_000_000)).then(() => null, (e: Error & { code?: string }) => e);
    // A machine that parses 40 MB within the deadline has nothing to show here.
    if (Date.now() - started > 40) {
      assert.ok(err);
      assert.equal(err.code, 'ETIMEDOUT');
    }
    // The replacement worker serves what comes next. On a loaded machine a small parse may itself
    // overrun 40 ms now and then, so a few tries; each failure must be the deadline, nothing else.
    let subject: string | null = null;
    for (let i = 0; i < 10 && subject === null; i++) {
      subject = await p.parse(small).then(
        (r) => r.header.subject ?? '',
        (e: Error & { code?: string }) => {
          assert.equal(e.code, 'ETIMEDOUT');
          return null;
        },
      );
    }
    assert.equal(subject, 'hi', 'the fresh worker serves the next message');
  });

  test('size 0 parses on the calling thread', async () => {
    const p = pool({ size: 0 });
    assert.deepEqual(await p.parse(small), parseMessage(small));
    assert.equal(p.saturated, false);
  });

  test('close rejects what waits with a system error', async () => {
    const p = new ParsePool({ size: 1 });
    const big = withAttachment(3_000_000);
    const jobs = Promise.allSettled([p.parse(big), p.parse(big)]);
    await p.close();
    for (const r of await jobs) {
      assert.equal(r.status, 'rejected');
      assert.equal(((r as PromiseRejectedResult).reason as { code?: string }).code, 'ECLOSED');
    }
  });
});
