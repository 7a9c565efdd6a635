import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { Registry } from 'prom-client';
import { createRspamdLearner, filterMetrics, learnClassForMove } from '../../filters/index.js';
import type { Mailbox, SpecialUse } from '../../domain/index.js';
import { compose, daemonEnv, silentLogger } from './helpers.js';

const controller = daemonEnv.controller;
const skip = controller ? false : 'rspamd controller not running (HERON_TEST_RSPAMD_CONTROLLER_URL unset; run via npm test)';

function mailbox(path: string, specialUse: SpecialUse | null): Mailbox {
  return { id: path, userId: 'u1', path, specialUse, uidValidity: 1, uidNext: 1, highestModseq: 1, subscribed: true, createdAt: new Date() };
}
const inbox = mailbox('INBOX', '\\Inbox');
const junk = mailbox('Junk', '\\Junk');
const trash = mailbox('Trash', '\\Trash');
const work = mailbox('Work', null);

async function learnedCount(): Promise<number> {
  const res = await fetch(new URL('/stat', controller));
  assert.equal(res.status, 200);
  const stat = (await res.json()) as { learned: number };
  return stat.learned;
}

/** Distinct, word-rich bodies: Bayes needs enough tokens and refuses a message twice. */
async function distinctMessage(seed: string): Promise<Buffer> {
  const words = Array.from({ length: 80 }, (_, i) => `${seed}word${i} offer${(i * 31) % 97} discount${i % 13}`).join(' ');
  return compose({ subject: `Limited offer ${seed}`, text: `${words}\r\n` });
}

describe('which moves teach what', () => {
  test('into Junk is spam, out of Junk is ham, Junk to Trash and others teach nothing', () => {
    assert.equal(learnClassForMove(inbox, junk), 'spam');
    assert.equal(learnClassForMove(work, junk), 'spam');
    assert.equal(learnClassForMove(junk, inbox), 'ham');
    assert.equal(learnClassForMove(junk, work), 'ham');
    assert.equal(learnClassForMove(junk, trash), null);
    assert.equal(learnClassForMove(inbox, work), null);
    assert.equal(learnClassForMove(junk, junk), null);
  });
});

describe('Junk training against the real rspamd controller (Bayes in Redis)', { skip }, () => {
  test('moving into Junk and out again raises rspamd learned count', async () => {
    const seed = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const store = new Map<string, Buffer>([
      ['m1', await distinctMessage(`${seed}a`)],
      ['m2', await distinctMessage(`${seed}b`)],
      ['m3', await distinctMessage(`${seed}c`)],
    ]);
    const loads: string[] = [];
    const registry = new Registry();
    const learner = createRspamdLearner({
      controllerUrl: controller!,
      loadRaw: async (userId, id) => {
        loads.push(`${userId}/${id}`);
        const raw = store.get(id);
        if (!raw) throw new Error('no such message');
        // Both shapes the dependency may return.
        return id === 'm2' ? Readable.from([raw]) : raw;
      },
      timeoutMs: 10_000,
      logger: silentLogger,
      metrics: filterMetrics(registry),
    });
    const before = await learnedCount();
    // Returns at once (fire-and-forget) and never throws, even for a message that cannot load.
    const r = learner.messagesMoved({ userId: 'u1', from: inbox, to: junk, messageIds: ['m1', 'm2', 'missing'] });
    assert.equal(r, undefined);
    learner.messagesMoved({ userId: 'u1', from: junk, to: inbox, messageIds: ['m3'] });
    learner.messagesMoved({ userId: 'u1', from: junk, to: trash, messageIds: ['m1'] });
    await learner.idle();
    assert.deepEqual(loads, ['u1/m1', 'u1/m2', 'u1/missing', 'u1/m3']);
    const after = await learnedCount();
    // At least: other test files may train the shared rspamd at the same time.
    assert.ok(after - before >= 3, `learned went from ${before} to ${after}`);
    const text = await registry.metrics();
    assert.match(text, /heron_filter_learn_total\{class="spam",outcome="ok"\} 2/);
    assert.match(text, /heron_filter_learn_total\{class="spam",outcome="error"\} 1/);
    assert.match(text, /heron_filter_learn_total\{class="ham",outcome="ok"\} 1/);

    // The same message again is not a failure: rspamd says it already knows it.
    learner.messagesMoved({ userId: 'u1', from: inbox, to: junk, messageIds: ['m1'] });
    await learner.idle();
    const again = await registry.metrics();
    assert.match(again, /heron_filter_learn_total\{class="spam",outcome="already"\} 1/);
    assert.match(again, /heron_filter_learn_total\{class="spam",outcome="error"\} 1/);
  });

  test('controller unreachable: logged and counted, nothing thrown', async () => {
    const registry = new Registry();
    const learner = createRspamdLearner({
      controllerUrl: 'http://127.0.0.1:1',
      loadRaw: async () => Buffer.from('Subject: x\r\n\r\nhello\r\n'),
      timeoutMs: 2000,
      logger: silentLogger,
      metrics: filterMetrics(registry),
    });
    learner.messagesMoved({ userId: 'u1', from: inbox, to: junk, messageIds: ['a'] });
    await learner.idle();
    assert.match(await registry.metrics(), /heron_filter_learn_total\{class="spam",outcome="error"\} 1/);
  });
});
