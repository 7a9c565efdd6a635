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
  mx = await startMx({ users: store.users, mail: store.mail, blobs: createMemoryBlobStore(), limits: { messagesPerMinutePerIp: 3 } });
});
after(async () => {
  await mx.close();
});

test('messages per IP per minute: MAIL FROM past the limit is 451 4.7.1, the session stays usable', async () => {
  const raw = await RawSmtp.open(mx.port);
  try {
    await raw.reply();
    await raw.command('EHLO client.test');
    for (let i = 0; i < 3; i++) {
      assert.match((await raw.command('MAIL FROM:<a@remote.test>'))!, /^250 /);
      assert.match((await raw.command('RSET'))!, /^250 /);
    }
    assert.match((await raw.command('MAIL FROM:<a@remote.test>'))!, /^451 4\.7\.1 /);
    assert.match((await raw.command('NOOP'))!, /^250 /);
  } finally {
    raw.close();
  }
});
