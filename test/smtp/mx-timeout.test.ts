import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryBlobStore } from '../helpers/memory-blobs.js';
import { createFakeStore } from './helpers/fake-store.js';
import { startMx, type MxHarness } from './helpers/mx-harness.js';
import { RawSmtp } from './helpers/raw-smtp.js';

let mx: MxHarness;
before(async () => {
  const store = createFakeStore(['heron.test']);
  store.addUser('ann@heron.test');
  mx = await startMx({ users: store.users, mail: store.mail, blobs: createMemoryBlobStore(), limits: { socketTimeoutMs: 200 } });
});
after(async () => {
  await mx.close();
});

// The assertion is on what the server says, not on how long it took to say it.
test('an idle client is told 421 and disconnected; others are still served', async () => {
  const idle = await RawSmtp.open(mx.port);
  assert.match((await idle.reply())!, /^220 /);
  assert.match((await idle.command('EHLO client.test'))!, /^250/);
  assert.match((await idle.reply(30_000))!, /^421 /);
  assert.equal(await idle.reply(30_000), null, 'connection closed after 421');
  const next = await RawSmtp.open(mx.port);
  assert.match((await next.reply())!, /^220 /);
  next.close();
});
