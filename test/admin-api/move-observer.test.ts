import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareMessage } from '../../mail/mime/index.js';
import type { MoveObserver } from '../../domain/index.js';
import { startApi, call, signUp } from './helpers.js';

// Moving a message into Junk through the API teaches the spam learner, as IMAP MOVE does.
test('PATCH /v1/messages/:id into Junk and back tells the move observer', async () => {
  const moves: Array<{ from: string; to: string; messageIds: string[] }> = [];
  const observer: MoveObserver = { messagesMoved: (e) => moves.push({ from: e.from.path, to: e.to.path, messageIds: e.messageIds }) };
  const h = await startApi({ moveObserver: observer });
  try {
    const ann = await signUp(h, 'annjunk');
    const raw = Buffer.from(`From: spammer@remote.test\r\nTo: ${ann.address}\r\nSubject: cheap pills\r\n\r\nbuy now\r\n`);
    await h.store.mail.deliver(await prepareMessage(raw, h.blobs), [{ userId: ann.userId, mailbox: { specialUse: '\\Inbox' } }]);
    const boxes = (await call(h.base, 'GET', '/v1/mailboxes', { token: ann.token })).body as Array<{ id: string; specialUse: string }>;
    const inbox = boxes.find((b) => b.specialUse === '\\Inbox')!;
    const junk = boxes.find((b) => b.specialUse === '\\Junk')!;
    const list = await call(h.base, 'GET', `/v1/mailboxes/${inbox.id}/messages`, { token: ann.token });
    const id = list.body.items[0].id as string;

    const toJunk = await call(h.base, 'PATCH', `/v1/messages/${id}`, { token: ann.token, body: { mailboxId: junk.id } });
    assert.equal(toJunk.status, 200);
    assert.deepEqual(moves, [{ from: 'INBOX', to: 'Junk', messageIds: [toJunk.body.id] }]);

    const back = await call(h.base, 'PATCH', `/v1/messages/${toJunk.body.id}`, { token: ann.token, body: { mailboxId: inbox.id } });
    assert.equal(back.status, 200);
    assert.deepEqual(moves[1], { from: 'Junk', to: 'INBOX', messageIds: [back.body.id] });

    // A flag change alone is no move.
    await call(h.base, 'PATCH', `/v1/messages/${back.body.id}`, { token: ann.token, body: { seen: true } });
    assert.equal(moves.length, 2);
  } finally {
    await h.close();
  }
});

// The web app's Spam / Not spam act on whole conversations through the batch route: same teaching.
test('POST /v1/messages/batch into Junk and back tells the move observer the new ids', async () => {
  const moves: Array<{ from: string; to: string; messageIds: string[] }> = [];
  const observer: MoveObserver = { messagesMoved: (e) => moves.push({ from: e.from.path, to: e.to.path, messageIds: e.messageIds }) };
  const h = await startApi({ moveObserver: observer });
  try {
    const ann = await signUp(h, 'annbatch');
    for (const s of ['pills', 'more pills']) {
      const raw = Buffer.from(`From: spammer@remote.test\r\nTo: ${ann.address}\r\nSubject: ${s}\r\n\r\nbuy now\r\n`);
      await h.store.mail.deliver(await prepareMessage(raw, h.blobs), [{ userId: ann.userId, mailbox: { specialUse: '\\Inbox' } }]);
    }
    const boxes = (await call(h.base, 'GET', '/v1/mailboxes', { token: ann.token })).body as Array<{ id: string; specialUse: string }>;
    const inbox = boxes.find((b) => b.specialUse === '\\Inbox')!;
    const junk = boxes.find((b) => b.specialUse === '\\Junk')!;
    const ids = (await call(h.base, 'GET', `/v1/mailboxes/${inbox.id}/messages`, { token: ann.token })).body.items.map((m: { id: string }) => m.id);

    const spam = await call(h.base, 'POST', '/v1/messages/batch', { token: ann.token, body: { ids, mailboxId: junk.id } });
    assert.equal(spam.status, 200);
    const newIds = spam.body.moves.map((m: { to: string }) => m.to).sort();
    assert.deepEqual(moves.map((m) => [m.from, m.to]), [['INBOX', 'Junk']]);
    assert.deepEqual([...moves[0]!.messageIds].sort(), newIds);

    const ham = await call(h.base, 'POST', '/v1/messages/batch', { token: ann.token, body: { ids: newIds, mailboxId: inbox.id } });
    assert.equal(ham.status, 200);
    assert.deepEqual(moves[1]!.from, 'Junk');
    assert.deepEqual(moves[1]!.to, 'INBOX');
    assert.equal(moves[1]!.messageIds.length, 2);
  } finally {
    await h.close();
  }
});
