import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createDeliveryPipeline } from '../../mail/delivery/index.js';
import { prepareMessage } from '../../mail/mime/index.js';
import { createSubmitter } from '../../smtp/submission/index.js';
import { createSqliteQueueStore } from '../../store/sqlite/queue/sqlite-queue-store.js';
import type { QueueStore } from '../../domain/queue.js';
import { startApi, call, signUp, type Harness } from './helpers.js';

describe('send through the MSA: remote recipients go to the outbound queue', () => {
  let h: Harness;
  let queue: QueueStore;
  before(async () => {
    h = await startApi(({ store, accounts, blobs }) => {
      const logger = pino({ level: 'silent' });
      queue = createSqliteQueueStore(store.db);
      const pipeline = createDeliveryPipeline({
        users: store.users, mail: store.mail, blobs, checks: [], preferences: accounts, hostname: 'mx.example.test', logger, metrics: new Registry(), filterFailure: 'tempfail',
      });
      const submitter = createSubmitter({
        users: store.users, mail: store.mail, blobs, queue, pipeline, prepareMessage: (raw, b) => prepareMessage(raw, b),
        getDkimKey: () => null, hostname: 'mx.example.test', logger, metrics: new Registry(),
        limits: { messagesPerHour: 3 },
      });
      return { submit: (input) => submitter.submitMessage(input) };
    });
  });
  after(async () => {
    await h.close();
  });

  test('local delivered, remote queued, Bcc kept out of what recipients see; sending rate limit is 429', async () => {
    const ann = await signUp(h, 'ann');
    const ben = await signUp(h, 'ben');
    const r = await call(h.base, 'POST', '/v1/messages/send', {
      token: ann.token,
      body: { to: [ben.address, 'far@remote.test'], bcc: ['hidden@remote.test'], subject: 'Mixed', text: 'to everyone' },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(r.body.delivered, 1);
    assert.equal(r.body.queued, 2);
    const entries = await queue.list();
    assert.deepEqual(entries.flatMap((e) => e.recipients).sort(), ['far@remote.test', 'hidden@remote.test']);
    const raw = (await queue.readMessage(entries[0]!.messageId))!.toString();
    assert.doesNotMatch(raw, /^Bcc:/im);
    const found = await call(h.base, 'GET', `/v1/search?q=${encodeURIComponent('subject:mixed')}`, { token: ben.token });
    assert.equal(found.body.items.length, 1);
    const sent = await call(h.base, 'GET', `/v1/search?q=${encodeURIComponent('in:sent subject:mixed')}`, { token: ann.token });
    assert.equal(sent.body.items.length, 1);

    const unknown = await call(h.base, 'POST', '/v1/messages/send', { token: ann.token, body: { to: ['nobody@example.test'], text: 'x' } });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.code, 'unknown_recipient');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(h.base, 'POST', '/v1/messages/send', { token: ann.token, body: { to: [ben.address], text: `n${i}` } })).status);
    assert.equal(statuses.at(-1), 429);
  });
});
