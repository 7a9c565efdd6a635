import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type SqliteDb } from '../../store/sqlite/db.js';
import { createSqliteQueueStore, createSqliteVacationLog } from '../../store/sqlite/queue/index.js';
import type { QueueStore } from '../../domain/queue.js';

/** The QueueStore contract; a second backend adds its factory to BACKENDS. */
const BACKENDS: Array<{ name: string; open(dir: string): { queue: QueueStore; db: SqliteDb } }> = [
  {
    name: 'sqlite',
    open(dir) {
      const db = openDatabase(path.join(dir, 'q.sqlite'));
      return { db, queue: createSqliteQueueStore(db) };
    },
  },
];

for (const backend of BACKENDS) {
  describe(`QueueStore contract: ${backend.name}`, () => {
    let dir: string;
    let db: SqliteDb;
    let queue: QueueStore;
    const raw = Buffer.from('From: a@local.test\r\nTo: x@remote.test\r\nSubject: hi\r\n\r\nbody\r\n');

    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-queue-'));
      ({ db, queue } = backend.open(dir));
    });
    after(() => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('enqueue splits recipients per domain and keeps the bytes', async () => {
      const entries = await queue.enqueue({ sender: 'a@local.test', recipients: ['x@remote.test', 'y@Remote.test', 'z@other.test', 'x@remote.test'], raw, userId: '7' });
      assert.equal(entries.length, 2);
      const remote = entries.find((e) => e.domain === 'remote.test')!;
      assert.deepEqual(remote.recipients, ['x@remote.test', 'y@Remote.test']);
      assert.equal(remote.userId, '7');
      assert.equal(remote.kind, 'mail');
      assert.equal(remote.attempts, 0);
      assert.equal(remote.status, 'queued');
      assert.equal(remote.size, raw.length);
      assert.equal(entries[0]!.messageId, entries[1]!.messageId);
      assert.deepEqual(await queue.readMessage(remote.messageId), raw);
      for (const e of entries) assert.ok(await queue.delete(e.id));
      assert.equal(await queue.readMessage(remote.messageId), null, 'message removed with its last entry');
      assert.equal(await queue.count(), 0);
    });

    test('claim leases; a lost lease cannot complete; an expired lease is claimable again', async () => {
      const t0 = new Date('2030-01-01T00:00:00Z');
      const [e] = await queue.enqueue({ sender: 's@local.test', recipients: ['r@remote.test'], raw, notBefore: t0 });
      assert.equal((await queue.claim({ limit: 10, leaseMs: 1000, maxPerDomain: 0, now: new Date(t0.getTime() - 1) })).length, 0, 'not due yet');
      const [c1] = await queue.claim({ limit: 10, leaseMs: 1000, maxPerDomain: 0, now: t0 });
      assert.equal(c1!.id, e!.id);
      assert.equal((await queue.claim({ limit: 10, leaseMs: 1000, maxPerDomain: 0, now: new Date(t0.getTime() + 500) })).length, 0, 'leased');
      const [c2] = await queue.claim({ limit: 10, leaseMs: 1000, maxPerDomain: 0, now: new Date(t0.getTime() + 1000) });
      assert.equal(c2!.id, e!.id, 'lease expired (crashed worker): claimable again');
      assert.equal(await queue.complete(c1!.id, c1!.lease), false, 'stale lease refused');
      assert.equal(await queue.complete(c2!.id, c2!.lease), true);
      assert.equal(await queue.get(e!.id), null);
    });

    test('defer keeps remaining recipients, counts the attempt and reschedules', async () => {
      const [e] = await queue.enqueue({ sender: 's@local.test', recipients: ['a@d.test', 'b@d.test'], raw });
      const [c] = await queue.claim({ limit: 1, leaseMs: 60_000, maxPerDomain: 0 });
      assert.equal(c!.id, e!.id);
      const next = new Date(Date.now() + 3_600_000);
      assert.ok(await queue.defer(c!.id, c!.lease, { recipients: ['b@d.test'], nextAttemptAt: next, error: '451 4.3.0 try later' }));
      const got = (await queue.get(e!.id))!;
      assert.deepEqual(got.recipients, ['b@d.test']);
      assert.equal(got.attempts, 1);
      assert.equal(got.lastError, '451 4.3.0 try later');
      assert.equal(got.nextAttemptAt.getTime(), next.getTime());
      assert.equal(got.status, 'queued');
      assert.equal((await queue.nextDue())!.getTime(), next.getTime());
      assert.equal((await queue.claim({ limit: 5, leaseMs: 1000, maxPerDomain: 0 })).length, 0);
      assert.equal(await queue.flush(e!.id), 1);
      const [again] = await queue.claim({ limit: 5, leaseMs: 1000, maxPerDomain: 0 });
      assert.equal(again!.id, e!.id);
      assert.ok(await queue.fail(again!.id, again!.lease, '550 5.1.1 no such user'));
      assert.equal(await queue.count(), 0);
    });

    test('per-domain cap limits concurrent leases, counting in-flight work', async () => {
      for (let i = 0; i < 5; i++) await queue.enqueue({ sender: 's@local.test', recipients: [`u${i}@busy.test`], raw });
      await queue.enqueue({ sender: 's@local.test', recipients: ['u@quiet.test'], raw });
      const first = await queue.claim({ limit: 10, leaseMs: 60_000, maxPerDomain: 2 });
      assert.deepEqual(first.map((c) => c.domain).sort(), ['busy.test', 'busy.test', 'quiet.test']);
      assert.equal((await queue.claim({ limit: 10, leaseMs: 60_000, maxPerDomain: 2 })).length, 0, 'cap reached while leases are live');
      for (const c of first) await queue.complete(c.id, c.lease);
      const second = await queue.claim({ limit: 10, leaseMs: 60_000, maxPerDomain: 2, active: { 'busy.test': 1 } });
      assert.equal(second.length, 1, 'active work of this worker counts against the cap');
      for (const c of second) await queue.complete(c.id, c.lease);
      const rest = await queue.list({ domain: 'busy.test' });
      assert.equal(rest.length, 2);
      for (const r of rest) await queue.delete(r.id);
    });

    test('list pages and bad ids name nothing', async () => {
      for (let i = 0; i < 3; i++) await queue.enqueue({ sender: '', recipients: [`n${i}@p.test`], raw, kind: 'dsn' });
      const page = await queue.list({ limit: 2 });
      assert.equal(page.length, 2);
      assert.equal(page[0]!.sender, '');
      assert.equal(page[0]!.kind, 'dsn');
      assert.equal((await queue.list({ limit: 2, offset: 2 })).length, 1);
      for (const bad of ['', 'abc', '-1', '1; DROP TABLE queue_entries', '99999999']) {
        assert.equal(await queue.get(bad), null);
        assert.equal(await queue.delete(bad), false);
      }
      assert.equal(await queue.flush(), 0, 'already due');
      for (const e of await queue.list()) await queue.delete(e.id);
      assert.equal(await queue.nextDue(), null);
    });

    test('a recipient without a domain is refused before anything is stored', async () => {
      await assert.rejects(queue.enqueue({ sender: 's@local.test', recipients: ['ok@x.test', 'nodomain'], raw }));
      await assert.rejects(queue.enqueue({ sender: 's@local.test', recipients: [], raw }));
      assert.equal(await queue.count(), 0);
    });

    test('entries survive reopening the database', async () => {
      await queue.enqueue({ sender: 's@local.test', recipients: ['keep@remote.test'], raw });
      db.close();
      ({ db, queue } = backend.open(dir));
      const [e] = await queue.list();
      assert.equal(e!.recipients[0], 'keep@remote.test');
      assert.deepEqual(await queue.readMessage(e!.messageId), raw);
      await queue.delete(e!.id);
    });
  });
}

describe('VacationLog (sqlite)', () => {
  let dir: string;
  let db: SqliteDb;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-vlog-'));
    db = openDatabase(path.join(dir, 'v.sqlite'));
  });
  after(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  test('one reply per sender per period', async () => {
    const log = createSqliteVacationLog(db);
    const t = new Date('2030-01-01T00:00:00Z');
    assert.equal(await log.claimReply('1', 'Ann@x.test', 1000, t), true);
    assert.equal(await log.claimReply('1', 'ann@x.test', 1000, new Date(t.getTime() + 999)), false);
    assert.equal(await log.claimReply('2', 'ann@x.test', 1000, t), true, 'per user');
    assert.equal(await log.claimReply('1', 'ann@x.test', 1000, new Date(t.getTime() + 1000)), true, 'next period');
    await log.reset('1');
    assert.equal(await log.claimReply('1', 'ann@x.test', 1000, new Date(t.getTime() + 1001)), true);
  });
});
