import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeliveryError, nextAttempt, resolveRoute, type MxResolver } from '../../outbound/index.js';
import { statusFromReply } from '../../outbound/delivery-error.js';

function resolver(mx: Record<string, Array<{ exchange: string; priority: number }> | string>, a: Record<string, string[]> = {}): MxResolver {
  const err = (code: string) => Object.assign(new Error(code), { code });
  return {
    async resolveMx(d) {
      const r = mx[d];
      if (r === undefined) throw err('ENOTFOUND');
      if (typeof r === 'string') throw err(r);
      return r;
    },
    async resolve4(h) {
      if (!a[h]) throw err('ENODATA');
      return a[h]!;
    },
    async resolve6(h) {
      throw err(h ? 'ENODATA' : 'ENODATA');
    },
  };
}

describe('routing (RFC 5321 5.1, RFC 7505)', () => {
  test('MX hosts by preference, each resolved', async () => {
    const r = await resolveRoute('x.test', { port: 25, resolver: resolver({ 'x.test': [{ exchange: 'b.x.test', priority: 20 }, { exchange: 'a.x.test', priority: 10 }] }, { 'a.x.test': ['192.0.2.1'], 'b.x.test': ['192.0.2.2'] }) });
    assert.deepEqual(r.map((h) => [h.name, h.address, h.port]), [['a.x.test', '192.0.2.1', 25], ['b.x.test', '192.0.2.2', 25]]);
  });
  test('no MX: the domain itself (A fallback); nothing at all: permanent 5.1.2', async () => {
    const r = await resolveRoute('y.test', { port: 25, resolver: resolver({ 'y.test': 'ENODATA' }, { 'y.test': ['192.0.2.9'] }) });
    assert.deepEqual(r.map((h) => h.address), ['192.0.2.9']);
    await assert.rejects(resolveRoute('z.test', { port: 25, resolver: resolver({ 'z.test': 'ENODATA' }) }), (e: DeliveryError) => e.permanent && e.status === '5.1.2');
  });
  test('null MX is permanent 5.1.10; NXDOMAIN permanent; SERVFAIL temporary', async () => {
    await assert.rejects(resolveRoute('n.test', { port: 25, resolver: resolver({ 'n.test': [{ exchange: '.', priority: 0 }] }) }), (e: DeliveryError) => e.permanent && e.status === '5.1.10');
    await assert.rejects(resolveRoute('gone.test', { port: 25, resolver: resolver({}) }), (e: DeliveryError) => e.permanent && e.status === '5.1.2');
    await assert.rejects(resolveRoute('s.test', { port: 25, resolver: resolver({ 's.test': 'ESERVFAIL' }) }), (e: DeliveryError) => !e.permanent && e.status === '4.4.3');
  });
  test('smarthost replaces MX lookup; address literals need no DNS', async () => {
    const r = await resolveRoute('any.test', { port: 25, resolver: resolver({}), smarthost: { host: '127.0.0.1', port: 2525 } });
    assert.deepEqual(r.map((h) => [h.address, h.port]), [['127.0.0.1', 2525]]);
    const lit = await resolveRoute('[192.0.2.7]', { port: 25, resolver: resolver({}) });
    assert.equal(lit[0]!.address, '192.0.2.7');
  });
});

describe('retry schedule and expiry', () => {
  const created = new Date('2030-01-01T00:00:00Z');
  const at = (ms: number) => new Date(created.getTime() + ms);
  test('schedule entries in turn, the last repeating, capped at the expiry, then null', () => {
    const schedule = [1000, 5000, 20000];
    assert.equal(nextAttempt({ attempts: 1, schedule, createdAt: created, expiryMs: 100_000, now: at(0) })!.getTime(), at(1000).getTime());
    assert.equal(nextAttempt({ attempts: 2, schedule, createdAt: created, expiryMs: 100_000, now: at(1000) })!.getTime(), at(6000).getTime());
    assert.equal(nextAttempt({ attempts: 9, schedule, createdAt: created, expiryMs: 100_000, now: at(50_000) })!.getTime(), at(70_000).getTime());
    assert.equal(nextAttempt({ attempts: 9, schedule, createdAt: created, expiryMs: 100_000, now: at(90_000) })!.getTime(), at(100_000).getTime(), 'last try at expiry');
    assert.equal(nextAttempt({ attempts: 10, schedule, createdAt: created, expiryMs: 100_000, now: at(100_000) }), null);
  });
  test('enhanced status from a reply, or derived from its class', () => {
    assert.equal(statusFromReply('550 5.1.1 No such user', 550), '5.1.1');
    assert.equal(statusFromReply('451 Try later', 451), '4.0.0');
    assert.equal(statusFromReply('550 4.1.1 mismatched', 550), '5.0.0');
  });
});
