import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GreetingDelayServer } from '../../smtp/common/greeting-server.js';
import { listenSmtpServer } from '../../smtp/common/listen.js';
import { createMemoryBlobStore } from '../helpers/memory-blobs.js';
import { createFakeStore } from './helpers/fake-store.js';
import { startMx, type MxHarness } from './helpers/mx-harness.js';
import { RawSmtp } from './helpers/raw-smtp.js';

const MSG = 'From: a@remote.test\r\nTo: ann@heron.test\r\nSubject: hi\r\n\r\nHello\r\n.\r\n';

async function transaction(port: number): Promise<Array<string | null>> {
  const c = await RawSmtp.open(port);
  try {
    const replies = [await c.reply()];
    for (const line of ['EHLO client.test', 'MAIL FROM:<a@remote.test>', 'RCPT TO:<ann@heron.test>', 'DATA']) replies.push(await c.command(line));
    replies.push(await c.command(MSG.slice(0, -2)));
    return replies;
  } finally {
    c.close();
  }
}

describe('greeting delay (early-talker trap)', () => {
  const store = createFakeStore(['heron.test']);
  store.addUser('ann@heron.test');
  let greetNow: MxHarness;
  let greetLater: MxHarness;

  before(async () => {
    greetNow = await startMx({ users: store.users, mail: store.mail, blobs: createMemoryBlobStore() });
    // Long enough that the test's early command surely lands inside it.
    greetLater = await startMx({ users: store.users, mail: store.mail, blobs: createMemoryBlobStore(), limits: { greetingDelayMs: 1500 } });
  });
  after(async () => {
    await greetNow.close();
    await greetLater.close();
  });

  test('default: greets with 220 and takes a message', async () => {
    const r = await transaction(greetNow.port);
    assert.match(r[0]!, /^220 mx\.heron\.test ESMTP/);
    assert.match(r[4]!, /^354/);
    assert.match(r[5]!, /^250 2\.0\.0 /);
  });

  test('with a delay: a client that talks before the greeting gets 421 and is disconnected', async () => {
    const c = await RawSmtp.open(greetLater.port);
    try {
      c.write('EHLO spam.test\r\nMAIL FROM:<x@spam.test>\r\n');
      const reply = await c.reply(5000);
      assert.match(reply!, /^421 .*talk too soon/);
      assert.equal(await c.reply(5000), null, 'connection closed after the 421');
    } finally {
      c.close();
    }
  });

  test('with a delay: a client that waits for the greeting is served', async () => {
    const r = await transaction(greetLater.port);
    assert.match(r[0]!, /^220 /);
    assert.match(r[5]!, /^250 2\.0\.0 /);
  });

  test('the server class alone: delay 0 greets, a delay refuses early talkers', async () => {
    for (const greetingDelayMs of [0, 1500]) {
      const server = new GreetingDelayServer({ name: 'bare.test', logger: false, disabledCommands: ['STARTTLS'], greetingDelayMs });
      const port = await listenSmtpServer(server, 0, '127.0.0.1');
      try {
        const c = await RawSmtp.open(port);
        if (greetingDelayMs > 0) {
          c.write('HELO early.test\r\n');
          assert.match((await c.reply(5000))!, /^421 /);
        } else {
          assert.match((await c.reply(5000))!, /^220 bare\.test ESMTP/);
          assert.match((await c.command('HELO ok.test'))!, /^250 /);
        }
        c.close();
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    }
  });
});
