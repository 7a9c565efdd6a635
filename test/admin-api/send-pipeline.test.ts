import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createDeliveryPipeline } from '../../mail/delivery/index.js';
import { pipelineDeliver } from '../../admin-api/index.js';
import { startApi, call, signUp, type Harness } from './helpers.js';

describe('send through the real delivery pipeline', () => {
  let h: Harness;
  before(async () => {
    h = await startApi(({ store, accounts, blobs }) => ({
      deliver: pipelineDeliver(
        createDeliveryPipeline({
          users: store.users,
          mail: store.mail,
          blobs,
          checks: [],
          preferences: accounts,
          hostname: 'mx.example.test',
          logger: pino({ level: 'silent' }),
          metrics: new Registry(),
          filterFailure: 'tempfail',
        }),
      ),
    }));
  });
  after(async () => {
    await h.close();
  });

  test('delivered with a Received header; a recipient blocking the sender answers 422 delivery_rejected', async () => {
    const ann = await signUp(h, 'ann');
    const ben = await signUp(h, 'ben');
    const r = await call(h.base, 'POST', '/v1/messages/send', { token: ann.token, body: { to: [ben.address], subject: 'Via pipeline', text: 'hello' } });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const found = await call(h.base, 'GET', `/v1/search?q=${encodeURIComponent('subject:pipeline')}`, { token: ben.token });
    assert.equal(found.body.items.length, 1);
    const rec = await h.store.mail.getMessageById(ben.userId, found.body.items[0].id, ['content']);
    assert.ok(rec);
    await call(h.base, 'PUT', '/v1/me/preferences', { token: ben.token, body: { blockSenders: [ann.address] } });
    const blocked = await call(h.base, 'POST', '/v1/messages/send', { token: ann.token, body: { to: [ben.address], subject: 'Blocked', text: 'x' } });
    assert.equal(blocked.status, 422);
    assert.equal(blocked.body.error.code, 'delivery_rejected');
  });
});
