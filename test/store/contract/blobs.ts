import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Backend } from '../backends.js';
import { makeMessage } from '../fixtures.js';
import { contractSuite } from './run.js';

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const HOUR = 3_600_000;

/** The BlobStore and BlobSweep contracts (domain/blob-store.ts, domain/blob-sweep.ts). */
export function runBlobStoreContract(backend: Backend): void {
  contractSuite('BlobStore and BlobSweep', backend, (h) => {
    const blobs = () => h().store.blobs;

    test('put is content-addressed (SHA-256) and idempotent; ranges are [start, end)', async () => {
      const data = Buffer.from('hello blob world '.repeat(1000));
      const a = await blobs().put(data);
      const b = await blobs().put(Buffer.from(data));
      assert.equal(a.id, createHash('sha256').update(data).digest('hex'));
      assert.deepEqual(a, b);
      assert.equal(a.size, data.length);
      assert.ok(await blobs().has(a.id));
      assert.ok((await read(blobs().createReadStream(a.id))).equals(data));
      assert.ok((await read(blobs().createReadStream(a.id, { start: 6, end: 10 }))).equals(data.subarray(6, 10)));
      assert.ok((await read(blobs().createReadStream(a.id, { start: 16990 }))).equals(data.subarray(16990)));
      assert.equal((await read(blobs().createReadStream(a.id, { start: 5, end: 5 }))).length, 0);
    });

    test('a blob larger than one storage chunk round-trips', async () => {
      const data = Buffer.alloc(700 * 1024);
      for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
      const { id } = await blobs().put(data);
      assert.ok((await read(blobs().createReadStream(id))).equals(data));
      assert.ok((await read(blobs().createReadStream(id, { start: 261_000, end: 530_000 }))).equals(data.subarray(261_000, 530_000)));
    });

    test('racing puts of the same content store it once, readable whole', async () => {
      const data = Buffer.from('raced content '.repeat(5000));
      const got = await Promise.all([1, 2, 3, 4].map(() => blobs().put(Buffer.from(data))));
      assert.equal(new Set(got.map((g) => g.id)).size, 1);
      assert.ok((await read(blobs().createReadStream(got[0]!.id))).equals(data));
    });

    test('missing and hostile ids: has() false, streams fail with ENOENT, delete is a no-op', async () => {
      for (const id of ['0'.repeat(64), '../../etc/passwd', '', 'A'.repeat(64)]) {
        assert.equal(await blobs().has(id), false);
        await assert.rejects(read(blobs().createReadStream(id)), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
        await blobs().delete(id);
      }
    });

    test('delete with ifIdleFor spares a blob put within that time', async () => {
      const { id } = await blobs().put(Buffer.from('recently put'));
      await blobs().delete(id, { ifIdleFor: HOUR });
      assert.ok(await blobs().has(id));
      await blobs().delete(id);
      assert.equal(await blobs().has(id), false);
    });

    test('the sweep deletes unreferenced blobs idle beyond the grace and spares fresh ones', async () => {
      const old = await blobs().put(Buffer.from('prepared, then refused by a filter'));
      // Seen from two hours on, `old` is idle; a blob put at that moment is not.
      const later = Date.now() + 2 * HOUR;
      const r = await h().store.blobSweep.sweep({ graceMs: HOUR, now: later });
      assert.ok(r.deleted >= 1);
      assert.equal(await blobs().has(old.id), false);
      const fresh = await blobs().put(Buffer.from('prepared a moment ago'));
      await h().store.blobSweep.sweep({ graceMs: HOUR });
      assert.ok(await blobs().has(fresh.id));
    });

    test('the sweep never takes a blob a stored message references, however old', async () => {
      const { store } = h();
      await store.users.addDomain('sweep.test');
      const u = await store.users.createUser({ username: 'sweeper', address: 'sweeper@sweep.test', password: 'pw pw pw' });
      const msg = await makeMessage(store.blobs, { attachments: [{ filename: 'kept.bin', content: Buffer.alloc(20_000, 7) }] });
      assert.ok(msg.blobIds.length > 0);
      await store.mail.deliver(msg, [{ userId: u.id, mailbox: { specialUse: '\\Inbox' } }]);
      await store.blobSweep.sweep({ graceMs: HOUR, now: Date.now() + 48 * HOUR });
      for (const id of msg.blobIds) assert.ok(await blobs().has(id), 'referenced');
      await store.users.deleteUser(u.id);
      await store.blobSweep.sweep({ graceMs: HOUR, now: Date.now() + 48 * HOUR });
      for (const id of msg.blobIds) assert.equal(await blobs().has(id), false, 'gone with its last reference');
    });
  });
}
