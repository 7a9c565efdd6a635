import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { authenticate } from 'mailauth';
import { dnsRecords } from '../../server/dns-records.js';
import { loadConfig } from '../../config/index.js';
import { startEnv, startRemoteMx, testResolver, waitFor, type Env, type RemoteMx } from './harness.js';
import { makeSelfSignedCert } from '../helpers/tls.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The printed DKIM record, parsed back into what a DNS TXT answer would carry. */
function dkimTxtFromPrinted(env: Env): Record<string, string[][]> {
  const line = dnsRecords(loadConfig({ env: { HERON_HOSTNAME: 'mx.heron.test' }, file: null }), 'heron.test', env.dkim).find((l) => l.includes('._domainkey.'))!;
  const name = line.split(/\s+/)[0]!.replace(/\.$/, '');
  const chunks = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  return { [name]: [chunks] };
}

function message(from: string, to: string, subject: string, id: string): Buffer {
  return Buffer.from(`From: Ann <${from}>\r\nTo: <${to}>\r\nSubject: ${subject}\r\nMessage-ID: <${id}@heron.test>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nHello there.\r\n`);
}

describe('outbound relay through the queue', () => {
  let certDir: string;
  let remote: RemoteMx;
  let env: Env;
  const user = () => ({ id: env.ann, address: 'ann@heron.test' });

  before(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'heron-remote-'));
    remote = await startRemoteMx(makeSelfSignedCert(certDir));
    const resolver = testResolver({
      'remote.test': [{ exchange: 'mx2.remote.test', priority: 20 }, { exchange: 'mx1.remote.test', priority: 10 }],
      'nullmx.test': [{ exchange: '.', priority: 0 }],
      'nomx.test': [],
    });
    env = await startEnv({ resolver, port: remote.port });
  });
  after(async () => {
    await env.close();
    await remote.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  test('delivered over STARTTLS, DKIM-signed; the signature verifies against the printed DNS record', async () => {
    const raw = message('ann@heron.test', 'carol@remote.test', 'Relay one', 'relay-1');
    const res = await env.submitter.submitMessage({ user: user(), envelope: { mailFrom: 'ann@heron.test', rcptTo: ['carol@remote.test'] }, raw });
    assert.deepEqual(res.queued, ['carol@remote.test']);
    assert.equal(res.messageId, '<relay-1@heron.test>');
    const got = await waitFor(async () => remote.received.find((r) => r.raw.includes('Subject: Relay one')), 'remote delivery');
    assert.equal(got.secure, true, 'opportunistic STARTTLS with a self-signed remote certificate');
    assert.equal(got.from, 'ann@heron.test');
    assert.deepEqual(got.to, ['carol@remote.test']);
    assert.match(got.raw.toString(), /^DKIM-Signature: /);

    const txt = dkimTxtFromPrinted(env);
    const resolver = testResolver({}, txt);
    const auth = await authenticate(got.raw, { ip: '127.0.0.1', helo: 'mx.heron.test', sender: 'ann@heron.test', mta: 'remote.test', resolver: resolver.txt, disableArc: true, disableBimi: true });
    const results = auth.dkim.results as Array<{ status: { result: string }; signingDomain: string; selector: string }>;
    assert.equal(results[0]!.status.result, 'pass', JSON.stringify(results[0]));
    assert.equal(results[0]!.signingDomain, 'heron.test');
    assert.equal(results[0]!.selector, env.dkim.selector);
    await waitFor(async () => (await env.queue.count()) === 0, 'queue empty');

    const sent = await env.messages(env.ann, 'Sent');
    assert.equal(sent.filter((m) => m.header!.messageId === '<relay-1@heron.test>').length, 1, 'one copy in Sent');
  });

  test('a 451 is retried on the schedule until delivered', async () => {
    remote.rcptRule = (address, attempt) => (address === 'dave@remote.test' && attempt === 1 ? { code: 451, message: '4.7.1 Greylisted, come back later' } : null);
    await env.submitter.submitMessage({ user: user(), envelope: { mailFrom: 'ann@heron.test', rcptTo: ['dave@remote.test'] }, raw: message('ann@heron.test', 'dave@remote.test', 'Greylisted', 'grey-1') });
    const got = await waitFor(async () => remote.received.find((r) => r.raw.includes('Subject: Greylisted')), 'delivery after retry');
    assert.deepEqual(got.to, ['dave@remote.test']);
    assert.equal(remote.attempts.get('dave@remote.test'), 2);
    await waitFor(async () => (await env.queue.count()) === 0, 'queue empty');
    const inbox = await env.messages(env.ann, 'INBOX');
    assert.equal(inbox.filter((m) => /Undelivered/.test(m.header!.subject)).length, 0, 'no bounce for a retried 4xx');
    remote.rcptRule = null;
  });

  test('a 550 becomes an RFC 3464 DSN in the sender INBOX; the other recipient still gets the mail', async () => {
    remote.rcptRule = (address) => (address === 'nobody@remote.test' ? { code: 550, message: '5.1.1 No such user here' } : null);
    const raw = message('ann@heron.test', 'nobody@remote.test', 'Will bounce', 'bounce-1');
    await env.submitter.submitMessage({ user: user(), envelope: { mailFrom: 'ann@heron.test', rcptTo: ['nobody@remote.test', 'erin@remote.test'] }, raw });
    await waitFor(async () => remote.received.find((r) => r.raw.includes('Subject: Will bounce')), 'partial delivery');
    const dsnRaw = await waitFor(async () => (await env.rawOf(env.ann, 'INBOX')).find((m) => m.includes('Undelivered Mail')), 'DSN in INBOX');
    assert.match(dsnRaw, /Content-Type: multipart\/report; report-type=delivery-status;/);
    assert.match(dsnRaw, /Content-Type: message\/delivery-status/);
    assert.match(dsnRaw, /Final-Recipient: rfc822; nobody@remote\.test/);
    assert.match(dsnRaw, /Action: failed/);
    assert.match(dsnRaw, /Status: 5\.1\.1/);
    assert.match(dsnRaw, /Diagnostic-Code: smtp; 550 5\.1\.1 No such user here/);
    assert.match(dsnRaw, /Content-Type: text\/rfc822-headers[\s\S]*Message-ID: <bounce-1@heron\.test>/);
    assert.match(dsnRaw, /Auto-Submitted: auto-replied/);
    assert.doesNotMatch(dsnRaw, /erin@remote\.test/, 'only the failed recipient is reported');
    await waitFor(async () => (await env.queue.count()) === 0, 'queue empty');
    remote.rcptRule = null;
  });

  test('a null MX (RFC 7505) bounces at once with 5.1.10; a domain with no MX falls back to its address', async () => {
    await env.submitter.submitMessage({ user: user(), envelope: { mailFrom: 'ann@heron.test', rcptTo: ['x@nullmx.test', 'y@nomx.test'] }, raw: message('ann@heron.test', 'x@nullmx.test', 'Null MX', 'nullmx-1') });
    const dsn = await waitFor(async () => (await env.rawOf(env.ann, 'INBOX')).find((m) => m.includes('x@nullmx.test')), 'null MX DSN');
    assert.match(dsn, /Status: 5\.1\.10/);
    const got = await waitFor(async () => remote.received.find((r) => r.raw.includes('Subject: Null MX')), 'A fallback delivery');
    assert.deepEqual(got.to, ['y@nomx.test']);
  });

  test('queue admin: list, flush and delete', async () => {
    const { listQueue, flushQueue, deleteQueueEntry } = await import('../../outbound/index.js');
    const [e] = await env.queue.enqueue({ sender: 'ann@heron.test', recipients: ['later@remote.test'], raw: message('ann@heron.test', 'later@remote.test', 'Later', 'later-1'), notBefore: new Date(Date.now() + 3_600_000) });
    const listed = await listQueue(env.queue);
    assert.ok(listed.some((x) => x.id === e!.id && x.recipients[0] === 'later@remote.test'));
    assert.equal(await deleteQueueEntry(env.queue, e!.id), true);
    assert.equal(await deleteQueueEntry(env.queue, e!.id), false);
    const [f] = await env.queue.enqueue({ sender: 'ann@heron.test', recipients: ['flushed@remote.test'], raw: message('ann@heron.test', 'flushed@remote.test', 'Flushed', 'flush-1'), notBefore: new Date(Date.now() + 3_600_000) });
    assert.equal(await flushQueue(env.queue, f!.id, () => env.worker.wake()), 1);
    await waitFor(async () => remote.received.find((r) => r.raw.includes('Subject: Flushed')), 'flushed delivery');
  });

  test('metrics count the outcomes', async () => {
    const text = await env.registry.metrics();
    assert.match(text, /heron_outbound_recipients_total\{result="delivered"\} [1-9]/);
    assert.match(text, /heron_outbound_recipients_total\{result="bounced"\} [1-9]/);
    assert.match(text, /heron_outbound_attempts_total\{outcome="deferred"\} [1-9]/);
  });
});
