import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import {
  DEFAULT_PREFERENCES,
  SmtpReplies,
  type CheckContext,
  type MessageCheck,
  type Preferences,
  type Verdict,
} from '../../domain/index.js';
import { createDeliveryPipeline, type DeliveryInput, type FilterFailurePolicy, type PrepareMessage } from '../../mail/delivery/index.js';
import { createMemoryBlobStore } from '../helpers/memory-blobs.js';
import { createFakeStore, type FakeStore } from '../smtp/helpers/fake-store.js';
import { preparedHeader } from '../helpers/stored-message.js';

const RAW = 'From: spammer@bad.test\r\nTo: ann@heron.test\r\nSubject: offer\r\n\r\nBuy now\r\n';

function check(name: string, fn: (ctx: CheckContext) => Promise<Verdict>): MessageCheck {
  return { name, check: fn };
}
const verdict = (filter: string, action: Verdict['action'], extra: Partial<Verdict> = {}): MessageCheck =>
  check(filter, async () => ({ filter, action, ...extra }));

describe('delivery pipeline: checks -> modifiers -> store', () => {
  let dir: string;
  let spoolPath: string;
  let store: FakeStore;
  let ann: string;
  let bob: string;
  const prefs = new Map<string, Partial<Preferences>>();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'heron-pipeline-'));
    spoolPath = join(dir, 'msg.eml');
    writeFileSync(spoolPath, RAW);
    store = createFakeStore(['heron.test']);
    ann = store.addUser('ann@heron.test');
    bob = store.addUser('bob@heron.test');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function pipeline(checks: MessageCheck[], filterFailure: FilterFailurePolicy = 'tempfail', registry = new Registry(), prepareMessage?: PrepareMessage) {
    return createDeliveryPipeline({
      ...(prepareMessage ? { prepareMessage } : {}),
      users: store.users,
      mail: store.mail,
      blobs: createMemoryBlobStore(),
      checks,
      preferences: { getPreferences: async (id) => ({ ...DEFAULT_PREFERENCES, ...prefs.get(id) }) },
      hostname: 'mx.heron.test',
      logger: pino({ level: 'silent' }),
      metrics: registry,
      filterFailure,
      checkTimeoutMs: 200,
    });
  }
  function input(recipients = [{ address: 'ann@heron.test', userId: ann }], mailFrom = 'spammer@bad.test'): DeliveryInput {
    return {
      queueId: 'Q1',
      envelope: { mailFrom, rcptTo: recipients.map((r) => r.address) },
      session: { id: 's1', remoteAddress: '192.0.2.7', clientHostname: '[192.0.2.7]', heloName: 'bad.test', secure: false },
      recipients,
      spoolPath,
      size: RAW.length,
    };
  }
  const last = () => store.delivered.at(-1)!;

  test('accept: INBOX, Received on top, checks see the raw message as received', async () => {
    let seen = '';
    const p = pipeline([
      check('peek', async (ctx) => {
        for await (const c of ctx.openRaw()) seen += c.toString();
        return { filter: 'peek', action: 'accept', headers: [['X-Peek', 'yes']] };
      }),
    ]);
    const out = await p.deliver(input());
    assert.deepEqual(out.reply, SmtpReplies.ok);
    assert.equal(seen, RAW);
    assert.deepEqual(last().targets, [{ userId: ann, mailbox: { specialUse: '\\Inbox' } }]);
    assert.match(preparedHeader(last().message), /^Received: from bad\.test \(\[192\.0\.2\.7\]\)\r\n\tby mx\.heron\.test \(Heron\) with ESMTP id Q1\r\n\tfor <ann@heron\.test>;\r\n\t\w{3}, \d+ \w{3} \d{4} \d\d:\d\d:\d\d \+0000\r\nX-Peek: yes\r\nFrom: /);
  });

  test('reject: the check\'s 5xx; a reject with a non-5xx reply still rejects', async () => {
    const n = store.delivered.length;
    const virus = { code: 554, enhanced: '5.7.1', message: 'Virus found: Eicar' };
    assert.deepEqual((await pipeline([verdict('clamav', 'reject', { reply: virus }), verdict('ok', 'accept')]).deliver(input())).reply, virus);
    assert.deepEqual((await pipeline([verdict('buggy', 'reject', { reply: SmtpReplies.ok })]).deliver(input())).reply, SmtpReplies.policyReject);
    assert.equal(store.delivered.length, n);
  });

  test('tempfail verdict answers 4xx; a reject beats a failed check', async () => {
    assert.equal((await pipeline([verdict('grey', 'tempfail', { reply: SmtpReplies.greylisted })]).deliver(input())).reply.code, 451);
    const broken = check('down', async () => { throw new Error('ECONNREFUSED'); });
    assert.equal((await pipeline([broken, verdict('rspamd', 'reject')]).deliver(input())).reply.code, 550);
  });

  test('a check that throws or hangs: 451 4.7.0 under tempfail, never a silent pass', async () => {
    const n = store.delivered.length;
    const broken = check('clamav', async () => { throw new Error('ECONNREFUSED'); });
    const hung = check('rspamd', () => new Promise<Verdict>(() => undefined));
    const garbage = check('garbage', async () => null as unknown as Verdict);
    for (const c of [broken, hung, garbage]) assert.deepEqual((await pipeline([c]).deliver(input())).reply, SmtpReplies.filterUnavailable);
    assert.equal(store.delivered.length, n);
  });

  test('a failed check under accept: delivered with X-Heron-Unscanned', async () => {
    const broken = check('clamav', async () => { throw new Error('ECONNREFUSED'); });
    const out = await pipeline([broken, verdict('rspamd', 'accept')], 'accept').deliver(input());
    assert.equal(out.reply.code, 250);
    assert.match(preparedHeader(last().message), /\r\nX-Heron-Unscanned: clamav\r\n/);
  });

  test('junk goes to Junk, or INBOX with $Junk for spamHandling=tag; allow list wins over junk', async () => {
    const p = pipeline([verdict('rspamd', 'junk', { headers: [['X-Spam', 'Yes']] })]);
    await p.deliver(input());
    assert.deepEqual(last().targets, [{ userId: ann, mailbox: { specialUse: '\\Junk' } }]);
    assert.match(preparedHeader(last().message), /\r\nX-Spam: Yes\r\n/);

    prefs.set(ann, { spamHandling: 'tag' });
    prefs.set(bob, { allowSenders: ['@bad.test'] });
    await p.deliver(input([{ address: 'ann@heron.test', userId: ann }, { address: 'bob@heron.test', userId: bob }]));
    assert.deepEqual(last().targets, [
      { userId: ann, mailbox: { specialUse: '\\Inbox' }, flags: ['$Junk'] },
      { userId: bob, mailbox: { specialUse: '\\Inbox' } },
    ]);
    assert.doesNotMatch(preparedHeader(last().message), /\tfor </, 'no for clause with several recipients');
    prefs.clear();
  });

  test('block lists: blocked recipients get no copy; all blocked is 550 5.7.1 before any check runs', async () => {
    let ran = 0;
    const counting = check('count', async () => { ran++; return { filter: 'count', action: 'accept' }; });
    prefs.set(bob, { blockSenders: ['spammer@bad.test'] });
    await pipeline([counting]).deliver(input([{ address: 'ann@heron.test', userId: ann }, { address: 'bob@heron.test', userId: bob }]));
    assert.deepEqual(last().targets.map((t) => t.userId), [ann]);
    prefs.set(ann, { blockSenders: ['@BAD.test'.toLowerCase()] });
    const n = store.delivered.length;
    ran = 0;
    const out = await pipeline([counting]).deliver(input([{ address: 'ann@heron.test', userId: ann }, { address: 'bob@heron.test', userId: bob }]));
    assert.deepEqual(out.reply, SmtpReplies.policyReject);
    assert.equal(ran, 0);
    assert.equal(store.delivered.length, n);
    // The null sender (bounces) is never matched by a block list.
    assert.equal((await pipeline([]).deliver(input(undefined, ''))).reply.code, 250);
    prefs.clear();
  });

  test('two addresses of one user: one copy', async () => {
    await pipeline([]).deliver(input([{ address: 'ann@heron.test', userId: ann }, { address: 'ann.alias@heron.test', userId: ann }]));
    assert.equal(last().targets.length, 1);
  });

  test('hostile check headers cannot inject header lines', async () => {
    await pipeline([verdict('evil', 'accept', { headers: [['X-Evil', 'a\r\nBcc: victim@x.test\r\n\r\nbody'], ['Bad Name:', 'x']] })]).deliver(input());
    const h = preparedHeader(last().message);
    assert.doesNotMatch(h, /\r\nBcc:/);
    assert.doesNotMatch(h, /Bad Name/);
    assert.match(h, /\r\nX-Evil: a Bcc: victim@x\.test body\r\n/);
  });

  test('store failure: 451 4.3.0; metrics per verdict', async () => {
    const registry = new Registry();
    store.failDeliver = true;
    try {
      assert.deepEqual((await pipeline([verdict('rspamd', 'accept')], 'tempfail', registry).deliver(input())).reply, SmtpReplies.tempFailure);
    } finally {
      store.failDeliver = false;
    }
    await pipeline([verdict('rspamd', 'junk')], 'tempfail', registry).deliver(input());
    const text = await registry.metrics();
    assert.match(text, /heron_delivery_verdicts_total\{check="rspamd",action="accept"\} 1/);
    assert.match(text, /heron_delivery_verdicts_total\{check="rspamd",action="junk"\} 1/);
    assert.match(text, /heron_delivery_messages_total\{outcome="tempfail"\} 1/);
    assert.match(text, /heron_delivery_recipients_total\{destination="junk"\} 1/);
  });

  test('a message the codec cannot process is 554 5.6.0 (a retry would fail the same); an I/O failure is 451', async () => {
    const n = store.delivered.length;
    const overflow: PrepareMessage = async () => { throw new RangeError('Maximum call stack size exceeded'); };
    assert.deepEqual((await pipeline([], 'tempfail', new Registry(), overflow).deliver(input())).reply, SmtpReplies.malformedMessage);
    const diskFull: PrepareMessage = async () => { throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }); };
    assert.deepEqual((await pipeline([], 'tempfail', new Registry(), diskFull).deliver(input())).reply, SmtpReplies.tempFailure);
    assert.equal(store.delivered.length, n);
  });
});
