import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Backend } from '../backends.js';
import { contractSuite } from './run.js';

const raw = Buffer.from('From: a@local.test\r\nTo: x@remote.test\r\nSubject: hi\r\n\r\nbody\r\n');

/** The QueueStore contract (domain/queue.ts). */
export function runQueueContract(backend: Backend): void {
  contractSuite('QueueStore', backend, (h) => {
    const queue = () => h().store.queue;

    test('enqueue splits recipients per domain and keeps the bytes', async () => {
      const entries = await queue().enqueue({ sender: 'a@local.test', recipients: ['x@remote.test', 'y@Remote.test', 'z@other.test', 'x@remote.test'], raw, userId: '7' });
      assert.equal(entries.length, 2);
      const remote = entries.find((e) => e.domain === 'remote.test')!;
      assert.deepEqual(remote.recipients, ['x@remote.test', 'y@Remote.test']);
      assert.equal(remote.userId, '7');
      assert.equal(remote.kind, 'mail');
      assert.equal(remote.attempts, 0);
      assert.equal(remote.status, 'queued');
      assert.equal(remote.size, raw.length);
      assert.equal(entries[0]!.messageId, entries[1]!.messageId);
      assert.deepEqual(await queue().readMessage(remote.messageId), raw);
      for (const e of entries) assert.ok(await queue().delete(e.id));
      assert.equal(await queue().readMessage(remote.messageId), null, 'message removed with its last entry');
      assert.equal(await queue().count(), 0);
    });

    test('a large message round-trips byte for byte', async () => {
      const big = Buffer.alloc(9 * 1024 * 1024 + 17);
      for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
      const [e] = await queue().enqueue({ sender: 'a@local.test', recipients: ['big@remote.test'], raw: big });
      assert.equal(e!.size, big.length);
      assert.ok((await queue().readMessage(e!.messageId))!.equals(big));
      assert.ok(await queue().delete(e!.id));
      assert.equal(await queue().readMessage(e!.messageId), null);
    });

    test('claim leases; a lost lease cannot complete; an expired lease is claimable again', async () => {
      const t0 = new Date('2030-01-01T00:00:00Z');
      const [e] = await queue().enqueue({ sender: 's@local.test', recipients: ['r@remote.test'], raw, notBefore: t0 });
      assert.equal((await queue().claim({ limit: 10, leaseMs: 1000, maxPerDomain: 0, now: new Date(t0.getTime() - 1) })).length, 0, 'not due yet');
      const [c1] = await queue().claim({ limit: 10, leaseMs: 1000, maxPerDomain: 0, now: t0 });
      assert.equal(c1!.id, e!.id);
      assert.equal(c1!.status, 'sending');
      assert.equal((await queue().claim({ limit: 10, leaseMs: 1000, maxPerDomain: 0, now: new Date(t0.getTime() + 500) })).length, 0, 'leased');
      const [c2] = await queue().claim({ limit: 10, leaseMs: 1000, maxPerDomain: 0, now: new Date(t0.getTime() + 1000) });
      assert.equal(c2!.id, e!.id, 'lease expired (crashed worker): claimable again');
      assert.equal(await queue().complete(c1!.id, c1!.lease), false, 'stale lease refused');
      assert.equal(await queue().complete(c2!.id, c2!.lease), true);
      assert.equal(await queue().get(e!.id), null);
    });

    test('two claims racing for the same entries never share one', async () => {
      for (let i = 0; i < 6; i++) await queue().enqueue({ sender: 's@local.test', recipients: [`r${i}@race.test`], raw });
      const [a, b] = await Promise.all([queue().claim({ limit: 6, leaseMs: 60_000, maxPerDomain: 0 }), queue().claim({ limit: 6, leaseMs: 60_000, maxPerDomain: 0 })]);
      const ids = [...a, ...b].map((c) => c.id);
      assert.equal(ids.length, 6);
      assert.equal(new Set(ids).size, 6);
      for (const c of [...a, ...b]) assert.ok(await queue().complete(c.id, c.lease));
    });

    test('defer keeps remaining recipients, counts the attempt and reschedules', async () => {
      const [e] = await queue().enqueue({ sender: 's@local.test', recipients: ['a@d.test', 'b@d.test'], raw });
      const [c] = await queue().claim({ limit: 1, leaseMs: 60_000, maxPerDomain: 0 });
      assert.equal(c!.id, e!.id);
      const next = new Date(Date.now() + 3_600_000);
      assert.equal(await queue().defer(c!.id, 'not-the-lease', { recipients: [], nextAttemptAt: next, error: 'x' }), false);
      assert.ok(await queue().defer(c!.id, c!.lease, { recipients: ['b@d.test'], nextAttemptAt: next, error: '451 4.3.0 try later' }));
      const got = (await queue().get(e!.id))!;
      assert.deepEqual(got.recipients, ['b@d.test']);
      assert.equal(got.attempts, 1);
      assert.equal(got.lastError, '451 4.3.0 try later');
      assert.equal(got.nextAttemptAt.getTime(), next.getTime());
      assert.equal(got.status, 'queued');
      assert.equal((await queue().nextDue())!.getTime(), next.getTime());
      assert.equal((await queue().claim({ limit: 5, leaseMs: 1000, maxPerDomain: 0 })).length, 0);
      assert.equal(await queue().flush(e!.id), 1);
      const [again] = await queue().claim({ limit: 5, leaseMs: 1000, maxPerDomain: 0 });
      assert.equal(again!.id, e!.id);
      assert.equal((await queue().nextDue())!.getTime(), again!.leaseUntil.getTime(), 'a live lease is due at its expiry');
      assert.ok(await queue().fail(again!.id, again!.lease, '550 5.1.1 no such user'));
      assert.equal(await queue().count(), 0);
    });

    test('per-domain cap limits concurrent leases, counting in-flight work', async () => {
      for (let i = 0; i < 5; i++) await queue().enqueue({ sender: 's@local.test', recipients: [`u${i}@busy.test`], raw });
      await queue().enqueue({ sender: 's@local.test', recipients: ['u@quiet.test'], raw });
      const first = await queue().claim({ limit: 10, leaseMs: 60_000, maxPerDomain: 2 });
      assert.deepEqual(first.map((c) => c.domain).sort(), ['busy.test', 'busy.test', 'quiet.test']);
      assert.equal((await queue().claim({ limit: 10, leaseMs: 60_000, maxPerDomain: 2 })).length, 0, 'cap reached while leases are live');
      for (const c of first) await queue().complete(c.id, c.lease);
      const second = await queue().claim({ limit: 10, leaseMs: 60_000, maxPerDomain: 2, active: { 'busy.test': 1 } });
      assert.equal(second.length, 1, 'active work of this worker counts against the cap');
      for (const c of second) await queue().complete(c.id, c.lease);
      const rest = await queue().list({ domain: 'busy.test' });
      assert.equal(rest.length, 2);
      for (const r of rest) await queue().delete(r.id);
    });

    test('list pages in enqueue order and bad ids name nothing', async () => {
      for (let i = 0; i < 3; i++) await queue().enqueue({ sender: '', recipients: [`n${i}@p.test`], raw, kind: 'dsn' });
      const page = await queue().list({ limit: 2 });
      assert.equal(page.length, 2);
      assert.deepEqual(page.map((e) => e.recipients[0]), ['n0@p.test', 'n1@p.test']);
      assert.equal(page[0]!.sender, '');
      assert.equal(page[0]!.kind, 'dsn');
      assert.equal((await queue().list({ limit: 2, offset: 2 })).length, 1);
      for (const bad of ['', 'abc', '-1', '1; DROP TABLE queue_entries', '99999999', '{"$gt":""}']) {
        assert.equal(await queue().get(bad), null);
        assert.equal(await queue().delete(bad), false);
        assert.equal(await queue().readMessage(bad), null);
      }
      assert.equal(await queue().flush(), 0, 'already due');
      for (const e of await queue().list()) await queue().delete(e.id);
      assert.equal(await queue().nextDue(), null);
    });

    test('a recipient without a domain is refused before anything is stored', async () => {
      await assert.rejects(queue().enqueue({ sender: 's@local.test', recipients: ['ok@x.test', 'nodomain'], raw }));
      await assert.rejects(queue().enqueue({ sender: 's@local.test', recipients: [], raw }));
      assert.equal(await queue().count(), 0);
    });

    test('entries survive reopening the store', async () => {
      await queue().enqueue({ sender: 's@local.test', recipients: ['keep@remote.test'], raw });
      await h().reopen();
      const [e] = await queue().list();
      assert.equal(e!.recipients[0], 'keep@remote.test');
      assert.deepEqual(await queue().readMessage(e!.messageId), raw);
      await queue().delete(e!.id);
    });
  });
}
