/**
 * FlagCache: FETCH FLAGS' per-mailbox memory, kept fresh by CHANGEDSINCE reads. Every answer must
 * equal what the store says now (flag changes by anyone, new mail), other UIDVALIDITYs and the
 * bound never let a stale or unbounded answer through. Real SQLite store, reads counted at the port.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MailStore } from '../../../domain/index.js';
import { prepareMessage } from '../../../mail/mime/index.js';
import { FlagCache, type FlagSnapshot } from '../../../imap/session/flag-cache.js';
import { startHarness, type Harness } from '../harness.js';
import { exchange } from '../raw-client.js';

function counting(mail: MailStore): { mail: MailStore; reads: Array<{ changedSince?: number }> } {
  const reads: Array<{ changedSince?: number }> = [];
  const wrapped = Object.create(mail) as MailStore;
  wrapped.listFlags = (id, sel, opts) => {
    reads.push({ ...(opts?.changedSince !== undefined ? { changedSince: opts.changedSince } : {}) });
    return mail.listFlags(id, sel, opts);
  };
  return { mail: wrapped, reads };
}

const plain = (s: FlagSnapshot | null): Array<[number, string[]]> => (s ? s.uids.map((u, i) => [u, [...s.flags[i]!]]) : []);

describe('FlagCache', () => {
  let h: Harness;
  let boxId: string;
  let otherId: string;
  const add = async (mailboxId: string, i: number): Promise<number> =>
    (await h.store.mail.append(h.alice.id, mailboxId, await prepareMessage(Buffer.from(`Subject: f${i}\r\n\r\nbody ${i}\r\n`), h.blobs), i % 2 ? { flags: ['\\Seen'] } : {})).uid;
  /** What the store says now, as [uid, flags]. */
  const truth = async (mailboxId: string): Promise<Array<[number, string[]]>> => {
    const out: Array<[number, string[]]> = [];
    for await (const page of h.store.mail.listFlags(mailboxId, { start: 1, end: Infinity })) for (const r of page) out.push([r.uid, [...r.flags]]);
    return out;
  };

  before(async () => {
    h = await startHarness();
    boxId = (await h.store.mail.createMailbox(h.alice.id, 'Flagged')).id;
    otherId = (await h.store.mail.createMailbox(h.alice.id, 'Small')).id;
    for (let i = 1; i <= 30; i++) await add(boxId, i);
    for (let i = 1; i <= 5; i++) await add(otherId, i);
  });
  after(async () => {
    await h.close();
  });

  test('the first read is the store; later reads ask only for what changed since', async () => {
    const { mail, reads } = counting(h.store.mail);
    const cache = new FlagCache(1000);
    assert.deepEqual(plain(await cache.read(mail, boxId, 1, 30)), await truth(boxId));
    assert.deepEqual(reads, [{}]);
    assert.deepEqual(plain(await cache.read(mail, boxId, 1, 30)), await truth(boxId));
    assert.equal(reads.length, 2);
    assert.ok(reads[1]!.changedSince! > 0, 'second read is a CHANGEDSINCE read');
    assert.equal(cache.size, 30);
  });

  test('flag changes (system flags and keywords) and new messages are seen at the next read', async () => {
    const cache = new FlagCache(1000);
    await cache.read(h.store.mail, boxId, 1, 30);
    await h.store.mail.updateFlags(boxId, [2, 3], { action: 'add', flags: ['\\Flagged', 'Todo'] });
    await h.store.mail.updateFlags(boxId, [1], { action: 'remove', flags: ['\\Seen'] });
    const uid = await add(boxId, 31);
    const got = await cache.read(h.store.mail, boxId, 1, 31);
    assert.deepEqual(plain(got), await truth(boxId));
    assert.equal(got!.uids.at(-1), uid);
    assert.deepEqual([...got!.flags[1]!], ['\\Flagged', 'Todo']);
  });

  test('a snapshot does not change under its reader', async () => {
    const cache = new FlagCache(1000);
    const first = await cache.read(h.store.mail, boxId, 1, 31);
    const before = plain(first);
    await h.store.mail.updateFlags(boxId, [4], { action: 'add', flags: ['\\Deleted'] });
    await add(boxId, 32);
    await cache.read(h.store.mail, boxId, 1, 32);
    assert.deepEqual(plain(first), before);
  });

  test('an expunged message is remembered until the entry is rebuilt; another UIDVALIDITY reads afresh', async () => {
    const { mail, reads } = counting(h.store.mail);
    const cache = new FlagCache(1000);
    await cache.read(mail, boxId, 1, 32);
    await h.store.mail.expunge(boxId, { uids: [4] });
    const got = await cache.read(mail, boxId, 1, 31);
    assert.ok(got!.uids.includes(4), 'a session not yet told still has it');
    await cache.read(mail, boxId, 2, 31);
    assert.deepEqual(reads.at(-1), {}, 'a new UIDVALIDITY is a full read');
  });

  test('concurrent reads agree, and the bound holds (least recently used mailbox first)', async () => {
    const cache = new FlagCache(40);
    const [a, b] = await Promise.all([cache.read(h.store.mail, boxId, 1, 31), cache.read(h.store.mail, boxId, 1, 31)]);
    assert.deepEqual(plain(a), plain(b));
    await cache.read(h.store.mail, otherId, 1, 5);
    assert.ok(cache.size <= 40, `holds ${cache.size}`);
    assert.equal(await new FlagCache(10).read(h.store.mail, boxId, 1, 31), null, 'a mailbox over the bound is left to the store');
  });

  test('FETCH 1:* (FLAGS) in one session shows what another session STOREd, keywords announced first', async () => {
    const s1 = await h.raw();
    const s2 = await h.raw();
    await exchange(s1, 'S', 'SELECT Flagged');
    await exchange(s2, 'S', 'SELECT Flagged');
    await exchange(s1, 'A', 'FETCH 1:* (FLAGS)');
    await exchange(s2, 'B', 'STORE 5 +FLAGS ($Urgent \\Answered)');
    const text = await exchange(s1, 'C', 'FETCH 1:* (FLAGS)');
    assert.match(text, /\* FLAGS \([^)]*\$Urgent/);
    assert.match(text, /\* 5 FETCH \(FLAGS \([^)]*\\Answered[^)]*\$Urgent[^)]*\)\)/);
    assert.ok(text.indexOf('* FLAGS') < text.indexOf('* 5 FETCH'), 'the keyword is announced before its first use');
  });
});
