/**
 * ThreadCache: THREAD's per-mailbox memory of MailStore.listThreadFields. A later THREAD
 * reads only what is new; expunged messages, another UIDVALIDITY and the size bound never let a
 * stale or unbounded answer through. Runs on a real SQLite store, reads counted at the port.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MailStore, UidSelector } from '../../../domain/index.js';
import { prepareMessage } from '../../../mail/mime/index.js';
import { ThreadCache } from '../../../imap/session/thread-cache.js';
import { startHarness, type Harness } from '../harness.js';
import { exchange } from '../raw-client.js';

/** The store, with every listThreadFields call recorded. */
function counting(mail: MailStore): { mail: MailStore; reads: UidSelector[] } {
  const reads: UidSelector[] = [];
  const wrapped = Object.create(mail) as MailStore;
  wrapped.listThreadFields = (id, sel) => {
    reads.push(sel);
    return mail.listThreadFields(id, sel);
  };
  return { mail: wrapped, reads };
}

const uidsOf = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('ThreadCache', () => {
  let h: Harness;
  let boxId: string;
  let otherId: string;
  const add = async (mailboxId: string, i: number, extra = ''): Promise<number> => {
    const raw = `Subject: ${i % 3 ? 'Re: ' : ''}topic ${i % 4}\r\nMessage-ID: <t${i}@example.test>\r\n${extra}Date: Mon, 1 Jan 2024 00:${String(i % 60).padStart(2, '0')}:00 +0000\r\n\r\nbody ${i}\r\n`;
    return (await h.store.mail.append(h.alice.id, mailboxId, await prepareMessage(Buffer.from(raw), h.blobs))).uid;
  };

  before(async () => {
    h = await startHarness();
    boxId = (await h.store.mail.createMailbox(h.alice.id, 'Threads')).id;
    otherId = (await h.store.mail.createMailbox(h.alice.id, 'Other')).id;
    for (let i = 1; i <= 20; i++) await add(boxId, i, i > 1 ? `References: <t${i - 1}@example.test>\r\n` : '');
    for (let i = 1; i <= 5; i++) await add(otherId, 100 + i);
  });
  after(async () => {
    await h.close();
  });

  test('gives what the store gives, and a second read asks the store for nothing', async () => {
    const { mail, reads } = counting(h.store.mail);
    const cache = new ThreadCache(1000);
    const direct = await h.store.mail.listThreadFields(boxId, { start: 1, end: 20 });
    assert.deepEqual(await cache.fields(mail, boxId, 1, uidsOf(20)), direct);
    assert.equal(reads.length, 1);
    assert.deepEqual(await cache.fields(mail, boxId, 1, uidsOf(20)), direct);
    assert.deepEqual(await cache.fields(mail, boxId, 1, [3, 7, 19]), direct.filter((f) => [3, 7, 19].includes(f.uid)));
    assert.equal(reads.length, 1);
    assert.equal(cache.size, 20);
  });

  test('a new message is the only one read; an expunged one is not answered', async () => {
    const { mail, reads } = counting(h.store.mail);
    const cache = new ThreadCache(1000);
    await cache.fields(mail, boxId, 1, uidsOf(20));
    const uid = await add(boxId, 21, 'In-Reply-To: <t20@example.test>\r\n');
    const got = await cache.fields(mail, boxId, 1, uidsOf(uid));
    assert.deepEqual(reads.at(-1), [uid]);
    assert.equal(got.at(-1)!.inReplyTo, '<t20@example.test>');
    await h.store.mail.updateFlags(boxId, [uid], { action: 'add', flags: ['\\Deleted'] });
    await h.store.mail.expunge(boxId, { uids: [uid] });
    // The session that still shows the message asks for it; the store no longer has it.
    assert.equal((await cache.fields(mail, boxId, 1, uidsOf(uid))).length, 21, 'known fields answer until the view drops the uid');
    const fresh = new ThreadCache(1000);
    assert.equal((await fresh.fields(mail, boxId, 1, uidsOf(uid))).length, 20);
  });

  test('another UIDVALIDITY reads the mailbox again', async () => {
    const { mail, reads } = counting(h.store.mail);
    const cache = new ThreadCache(1000);
    await cache.fields(mail, boxId, 1, uidsOf(20));
    await cache.fields(mail, boxId, 2, uidsOf(20));
    assert.equal(reads.length, 2);
    assert.equal(cache.size, 20);
  });

  test('holds no more than its bound: the least recently used mailbox goes first', async () => {
    const { mail, reads } = counting(h.store.mail);
    const cache = new ThreadCache(22);
    await cache.fields(mail, boxId, 1, uidsOf(20));
    await cache.fields(mail, otherId, 1, uidsOf(5));
    assert.ok(cache.size <= 22, `holds ${cache.size}`);
    await cache.fields(mail, otherId, 1, uidsOf(5));
    assert.equal(reads.length, 2, 'the mailbox read last stayed');
    await cache.fields(mail, boxId, 1, uidsOf(20));
    assert.equal(reads.length, 3, 'the evicted one is read again');
    const tiny = new ThreadCache(3);
    assert.equal((await tiny.fields(mail, boxId, 1, uidsOf(20))).length, 20, 'a mailbox over the bound is answered, not kept');
    assert.equal(tiny.size, 0);
  });

  test('concurrent first reads answer the same and count each message once', async () => {
    const { mail } = counting(h.store.mail);
    const cache = new ThreadCache(1000);
    const [a, b] = await Promise.all([cache.fields(mail, boxId, 1, uidsOf(20)), cache.fields(mail, boxId, 1, uidsOf(20))]);
    assert.deepEqual(a, b);
    assert.equal(cache.size, 20);
  });

  test('an answer is given back only for the same kind and exactly the same UIDs', async () => {
    const cache = new ThreadCache(1000);
    await cache.fields(h.store.mail, boxId, 1, uidsOf(20));
    cache.keepAnswer(boxId, 1, 'REFERENCES UID', uidsOf(20), '* THREAD (1 2)\r\n');
    assert.equal(cache.answer(boxId, 1, 'REFERENCES UID', uidsOf(20)), '* THREAD (1 2)\r\n');
    assert.equal(cache.answer(boxId, 1, 'REFERENCES SEQ', uidsOf(20)), undefined);
    assert.equal(cache.answer(boxId, 1, 'REFERENCES UID', uidsOf(19)), undefined);
    assert.equal(cache.answer(boxId, 1, 'REFERENCES UID', [...uidsOf(19), 21]), undefined);
    assert.equal(cache.answer(boxId, 2, 'REFERENCES UID', uidsOf(20)), undefined);
    assert.equal(cache.answer(otherId, 1, 'REFERENCES UID', uidsOf(20)), undefined);
  });

  test('THREAD through two sessions answers the same as a fresh server would, new mail included', async () => {
    const s1 = await h.raw();
    const s2 = await h.raw();
    await exchange(s1, 'S', 'SELECT Threads');
    await exchange(s2, 'S', 'SELECT Threads');
    const first = await exchange(s1, 'T', 'UID THREAD REFERENCES UTF-8 ALL');
    assert.equal(await exchange(s2, 'T', 'UID THREAD REFERENCES UTF-8 ALL'), first);
    const uid = await add(boxId, 30, 'References: <t5@example.test>\r\n');
    await exchange(s2, 'N', 'NOOP');
    const after = await exchange(s2, 'T2', 'UID THREAD REFERENCES UTF-8 ALL');
    assert.match(after, new RegExp(`\\b5 \\(6 7 8 9 10 11 12 13 14 15 16 17 18 19 20\\)\\(${uid}\\)`));
    // s1 has not been told of the new message: THREAD by sequence number (no updates during it,
    // RFC 3501 7.4.1) leaves it out, then counts it once NOOP has announced it.
    const threadLine = (text: string): string => /^\* THREAD.*$/m.exec(text)?.[0] ?? '';
    const bySeq = threadLine(await exchange(s1, 'Q', 'THREAD REFERENCES UTF-8 ALL'));
    assert.equal(bySeq, threadLine(first));
    await exchange(s1, 'N', 'NOOP');
    assert.match(threadLine(await exchange(s1, 'Q', 'THREAD REFERENCES UTF-8 ALL')), /\(21\)\)$/);
    // A message expunged elsewhere, not yet told: sequence numbers still count it, answers are fresh.
    await h.store.mail.updateFlags(boxId, [uid], { action: 'add', flags: ['\\Deleted'] });
    await h.store.mail.expunge(boxId, { uids: [uid] });
    const pending = threadLine(await exchange(s1, 'P', 'THREAD REFERENCES UTF-8 ALL'));
    assert.doesNotMatch(pending, /\b21\b/);
    assert.equal(threadLine(await exchange(s1, 'P', 'THREAD REFERENCES UTF-8 ALL')), pending);
  });
});
