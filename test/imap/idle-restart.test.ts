import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { ImapFlow } from 'imapflow';
import { prepareMessage } from '../../mail/mime/index.js';
import { startHarness, type Harness } from './harness.js';

/** Resolves with the first event of that name, or rejects after a generous bound (a hang guard, not a timing assertion). */
async function nextEvent<T>(c: ImapFlow, name: string, boundMs = 15_000): Promise<T> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), boundMs);
  try {
    const [v] = await once(c, name, { signal: ac.signal });
    return v as T;
  } finally {
    clearTimeout(timer);
  }
}

describe('IMAP IDLE push and restart durability', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  test('IDLE pushes EXISTS on MailStore.deliver, FETCH and EXPUNGE on another session\'s changes', async () => {
    const watcher = await h.client();
    const actor = await h.client();
    try {
      await watcher.mailboxOpen('INBOX');
      const idling = watcher.idle();
      const existsP = nextEvent<{ count: number }>(watcher, 'exists');
      const prepared = await prepareMessage(Buffer.from('From: x@remote.test\r\nSubject: pushed\r\n\r\nnew mail\r\n'), h.blobs);
      const [res] = await h.store.mail.deliver(prepared, [{ userId: h.alice.id, mailbox: { specialUse: '\\Inbox' } }]);
      assert.ok(res);
      const ex = await existsP;
      assert.equal(ex.count, 1);

      const flagsP = nextEvent<{ uid?: number; flags: Set<string> }>(watcher, 'flags');
      await actor.mailboxOpen('INBOX');
      await actor.messageFlagsAdd(String(res.uid), ['\\Flagged'], { uid: true });
      const fl = await flagsP;
      assert.ok(fl.flags.has('\\Flagged'));

      const expP = nextEvent<{ seq: number }>(watcher, 'expunge');
      await actor.messageDelete(String(res.uid), { uid: true });
      const exp = await expP;
      assert.equal(exp.seq, 1);
      await watcher.noop();
      await idling.catch(() => undefined);
    } finally {
      await watcher.logout().catch(() => undefined);
      await actor.logout().catch(() => undefined);
    }
  });

  test('a close and reopen of the store keeps UIDVALIDITY, UIDs and flags', async () => {
    const c = await h.client();
    await c.mailboxCreate('Keep');
    await c.append('Keep', 'Subject: a\r\n\r\none\r\n', ['\\Seen']);
    await c.append('Keep', 'Subject: b\r\n\r\ntwo\r\n', ['\\Flagged', 'kw']);
    await c.append('Keep', 'Subject: c\r\n\r\nthree\r\n');
    let box = await c.mailboxOpen('Keep');
    await c.messageDelete('2', { uid: true });
    const before = { uidValidity: box.uidValidity, uids: await c.search({ all: true }, { uid: true }) };
    const flagsBefore = new Map<number, string[]>();
    for await (const m of c.fetch('1:*', { flags: true, uid: true })) flagsBefore.set(m.uid, [...(m.flags ?? [])].sort());
    await c.logout();

    await h.restart();

    const d = await h.client();
    box = await d.mailboxOpen('Keep');
    assert.equal(box.uidValidity, before.uidValidity);
    assert.deepEqual(await d.search({ all: true }, { uid: true }), before.uids);
    assert.deepEqual(before.uids, [1, 3]);
    for await (const m of d.fetch('1:*', { flags: true, uid: true })) assert.deepEqual([...(m.flags ?? [])].sort(), flagsBefore.get(m.uid));
    const r = await d.append('Keep', 'Subject: d\r\n\r\nfour\r\n');
    assert.ok(r);
    assert.equal(r.uid, 4, 'UIDs are never reused after restart');
    await d.logout();
  });
});
