import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { CheckContext, CheckRecipient, DkimKey, MessageCheck } from '../../domain/index.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/index.js';
import { createLocalDomainCheck } from '../../filters/local-domain/check.js';
import { withRoleAddresses } from '../../accounts/index.js';
import { signMessage } from '../../outbound/dkim-sign.js';
import { normalizeLineEnds } from '../../mail/mime/line-ends.js';
import { DEFAULT_MEMORY_LIMIT } from '../../mail/spool/spool-file.js';
import { storedBytes } from '../helpers/stored-message.js';
import { startMx, type MxHarness } from '../smtp/helpers/mx-harness.js';
import { RawSmtp } from '../smtp/helpers/raw-smtp.js';

function dkimKey(domain: string): DkimKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { domain, selector: 'heron', privateKeyPem, publicKeyBase64: createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' }).toString('base64') };
}

/** Stops every message after the checks (the test reads what reached it) with 550 5.7.0. */
function recorder(seen: CheckRecipient[][]): MessageCheck {
  return { name: 'recorder', check: async (ctx) => (seen.push(ctx.recipients), { filter: 'recorder', action: 'reject', reply: { code: 550, enhanced: '5.7.0', message: 'recorded' } }) };
}

async function send(port: number, from: string, to: string[], raw: string | Buffer): Promise<string[]> {
  const c = await RawSmtp.open(port);
  const out: string[] = [(await c.reply()) ?? ''];
  out.push((await c.command('EHLO sender.example')) ?? '');
  out.push((await c.command(`MAIL FROM:<${from}>`)) ?? '');
  for (const t of to) out.push((await c.command(`RCPT TO:<${t}>`)) ?? '');
  out.push((await c.command('DATA')) ?? '');
  c.write(Buffer.concat([Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'latin1'), Buffer.from('\r\n.\r\n')]));
  out.push((await c.reply()) ?? '');
  c.close();
  return out;
}

describe('MX: local-domain protection, RFC 2142 role addresses, header line rules', () => {
  let dir: string;
  let store: SqliteStore;
  let mx: MxHarness;
  let adminId: string;
  const key = dkimKey('heron.test');
  const seen: CheckRecipient[][] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heron-sec-mx-'));
    const blobs = createFsBlobStore(join(dir, 'blobs'));
    store = await openSqliteStore({ path: join(dir, 'db.sqlite'), blobs, notifier: createMemoryNotifier() });
    await store.users.addDomain('heron.test');
    await store.users.addDomain('other.test');
    await store.users.createUser({ username: 'ann', address: 'ann@heron.test', password: 'ann-password', verified: true });
    adminId = (await store.users.createUser({ username: 'boss', address: 'boss@heron.test', password: 'boss-password', verified: true, admin: true })).id;
    const users = withRoleAddresses(store.users);
    const local = createLocalDomainCheck({ isLocalDomain: (d) => store.users.isLocalDomain(d), getDkimKey: (d) => (d === 'heron.test' ? key : null), mode: 'reject', domains: { 'other.test': 'junk' } });
    mx = await startMx({ users, mail: store.mail, blobs, checks: [local, recorder(seen)] });
  });
  after(async () => {
    await mx.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('From: a local user, from outside, unsigned: 550 5.7.1 (issue 9 "local-domain forgery")', async () => {
    const r = await send(mx.port, 'bob@heron.test', ['ann@heron.test'], 'From: Bob <bob@heron.test>\r\nTo: ann@heron.test\r\nSubject: hi\r\n\r\nforged\r\n');
    assert.match(r.at(-1)!, /^550 5\.7\.1/);
  });

  test('the same mail signed with Heron\'s own key for the domain passes the check (then reaches the next check)', async () => {
    const signed = await signMessage(Buffer.from('From: Bob <bob@heron.test>\r\nTo: ann@heron.test\r\nSubject: hi\r\n\r\nreal\r\n'), 'heron.test', () => key);
    const r = await send(mx.port, 'bob@heron.test', ['ann@heron.test'], signed);
    assert.match(r.at(-1)!, /^550 5\.7\.0 recorded/);
    const foreign = await signMessage(Buffer.from('From: Bob <bob@heron.test>\r\n\r\nx\r\n'), 'heron.test', () => dkimKey('heron.test'));
    assert.match((await send(mx.port, 'x@evil.test', ['ann@heron.test'], foreign)).at(-1)!, /^550 5\.7\.1/, 'a key that is not Heron\'s does not count');
  });

  test('junk mode per domain, and mail from other domains untouched', async () => {
    const ctx = (raw: string): CheckContext => ({
      queueId: 'q', envelope: { mailFrom: 'x@evil.test', rcptTo: ['ann@heron.test'] }, recipients: [], size: raw.length,
      session: { id: 's', remoteAddress: '192.0.2.1', clientHostname: 'evil', heloName: 'evil', secure: false },
      openRaw: () => Readable.from([Buffer.from(raw)]),
    });
    const check = createLocalDomainCheck({ isLocalDomain: (d) => store.users.isLocalDomain(d), getDkimKey: () => null, mode: 'reject', domains: { 'other.test': 'junk' }, trustedIps: ['198.51.100.0/24'] });
    assert.equal((await check.check(ctx('From: x@other.test\r\n\r\nb\r\n'))).action, 'junk');
    assert.equal((await check.check(ctx('From: x@remote.example\r\n\r\nb\r\n'))).action, 'accept');
    const trusted = ctx('From: ann@heron.test\r\n\r\nb\r\n');
    trusted.session.remoteAddress = '198.51.100.20';
    assert.equal((await check.check(trusted)).action, 'accept', 'a trusted address may send as the domain');
  });

  test('postmaster@, abuse@ and bare <Postmaster> reach the domain admin (RFC 2142, RFC 5321 4.5.1)', async () => {
    seen.length = 0;
    const r = await send(mx.port, 'reporter@remote.example', ['Postmaster@heron.test', 'abuse@HERON.test'], 'From: r@remote.example\r\n\r\nreport\r\n');
    assert.ok(r.slice(3, 5).every((x) => /^250/.test(x)), r.join(' | '));
    assert.deepEqual(seen.at(-1)!.map((x) => x.userId), [adminId], 'one copy for the admin');
    const bare = await send(mx.port, 'reporter@remote.example', ['Postmaster'], 'From: r@remote.example\r\n\r\nreport\r\n');
    assert.match(bare[3]!, /^250/);
    assert.match((await send(mx.port, 'a@remote.example', ['nobody@heron.test'], 'x')).at(3)!, /^550 5\.1\.1/, 'other unknown users still 550');
  });

  test('a bare CR in the header block: 554 5.6.0; the MX keeps serving', async () => {
    const r = await send(mx.port, 'x@remote.example', ['ann@heron.test'], 'X-A: a\rFrom: ann@heron.test\r\nSubject: s\r\n\r\nb\r\n');
    assert.match(r.at(-1)!, /^554 5\.6\.0/);
    const next = await send(mx.port, 'x@remote.example', ['ann@heron.test'], 'From: x@remote.example\r\n\r\nb\r\n');
    assert.match(next.at(-1)!, /^550 5\.7\.0 recorded/);
  });
});

/**
 * Issue 9 asks for one header model with no size window. The MX keeps a message under 256 KB in
 * memory and spools a larger one to a file: both must be checked, filtered and stored as the same
 * CRLF bytes, with the same refusals, whether the size comes from the header block or the body.
 */
describe('MX: a message over the spool threshold gets the same header treatment as a small one', () => {
  let dir: string;
  let store: SqliteStore;
  let mx: MxHarness;
  let annId: string;
  let blobs: ReturnType<typeof createFsBlobStore>;
  const seenByChecks: Buffer[] = [];
  /** What the checks read through ctx.openRaw (the filters' view); the message then goes on. */
  const capture: MessageCheck = {
    name: 'capture',
    check: async (ctx) => {
      const chunks: Buffer[] = [];
      for await (const c of ctx.openRaw() as AsyncIterable<Buffer>) chunks.push(c);
      seenByChecks.push(Buffer.concat(chunks));
      return { filter: 'capture', action: 'accept' };
    },
  };
  // Bare-LF filler header lines: > 256 KB of header pushes the message to the spool file.
  const filler = (eol: string) => Array.from({ length: 2800 }, (_, i) => `X-Filler-${i}: ${'x'.repeat(96)}${eol}`).join('');
  const pads = { small: '', 'spooled (>256 KB header)': filler('\n') };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heron-sec-mx-big-'));
    blobs = createFsBlobStore(join(dir, 'blobs'));
    store = await openSqliteStore({ path: join(dir, 'db.sqlite'), blobs, notifier: createMemoryNotifier() });
    await store.users.addDomain('heron.test');
    annId = (await store.users.createUser({ username: 'ann', address: 'ann@heron.test', password: 'ann-password', verified: true })).id;
    const local = createLocalDomainCheck({ isLocalDomain: (d) => store.users.isLocalDomain(d), getDkimKey: () => null, mode: 'reject' });
    mx = await startMx({ users: store.users, mail: store.mail, blobs, checks: [local, capture], limits: { maxMessageSize: 2 * 1024 * 1024 } });
  });
  after(async () => {
    await mx.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function inbox(): Promise<Buffer[]> {
    const box = await store.mail.getMailbox(annId, 'INBOX');
    const out: Buffer[] = [];
    for await (const m of store.mail.getMessages(box!.id, { start: 1, end: Infinity }, { fields: ['content'] })) out.push(await storedBytes(m.content!, blobs));
    return out;
  }
  const onlyCrlf = (b: Buffer) => !/[\r\n]/.test(b.toString('latin1').replace(/\r\n/g, ''));

  for (const [label, pad] of Object.entries(pads)) {
    test(`${label}: the bare-CR From spoof is 554 5.6.0, also when it comes after the padding`, async () => {
      const spoof = `${pad}X-A: a\rFrom: ann@heron.test\n\r\nFrom: x@remote.example\r\nSubject: spoof\r\n\r\nb\r\n`;
      assert.ok(pad === '' || spoof.length > DEFAULT_MEMORY_LIMIT);
      assert.match((await send(mx.port, 'x@remote.example', ['ann@heron.test'], spoof)).at(-1)!, /^554 5\.6\.0/);
      // The separator itself a bare CR: still inside the header block, still refused.
      assert.match((await send(mx.port, 'x@remote.example', ['ann@heron.test'], `From: x@remote.example\r\n${pad}Subject: s\r\r\nb\r\n`)).at(-1)!, /^554 5\.6\.0/);
    });

    test(`${label}: a From naming a local domain after bare-LF padding is seen and refused 550 5.7.1`, async () => {
      const forged = `Subject: forged\n${pad}From: Bob <bob@heron.test>\n\nhello\n`;
      assert.match((await send(mx.port, 'x@remote.example', ['ann@heron.test'], forged)).at(-1)!, /^550 5\.7\.1/);
    });

    test(`${label}: bare LF/CR become CRLF; the checks read exactly the bytes that are stored`, async () => {
      seenByChecks.length = 0;
      const before = (await inbox()).length;
      const subject = `Subject: same ${label}`;
      const raw = Buffer.from(`From: x@remote.example\n${pad}${subject}\n\nline one\nbare\rcr\r\nend\r`, 'latin1');
      assert.match((await send(mx.port, 'x@remote.example', ['ann@heron.test'], raw)).at(-1)!, /^250/);
      const stored = (await inbox()).slice(before);
      assert.equal(stored.length, 1);
      const seen = seenByChecks.at(-1)!;
      // smtp-server ends the data with the CRLF before the dot: the input plus that CRLF, normalised.
      assert.deepEqual(seen, normalizeLineEnds(Buffer.concat([raw, Buffer.from('\r\n')])));
      assert.ok(onlyCrlf(seen) && onlyCrlf(stored[0]!), 'CRLF only, in the checks and in the store');
      assert.deepEqual(stored[0]!.subarray(stored[0]!.length - seen.length), seen, 'stored = Received etc. + what the checks saw');
    });
  }

  test('a large body (600 KB, bare LF and bare CR lines) is stored and checked as CRLF, header fields intact', async () => {
    seenByChecks.length = 0;
    const before = (await inbox()).length;
    const body = Array.from({ length: 6000 }, (_, i) => `body line ${i} ${'y'.repeat(80)}${i % 3 === 0 ? '\r' : '\n'}`).join('');
    const raw = Buffer.from(`From: x@remote.example\nTo: ann@heron.test\nSubject: big body\n\n${body}`, 'latin1');
    assert.ok(raw.length > DEFAULT_MEMORY_LIMIT * 2);
    assert.match((await send(mx.port, 'x@remote.example', ['ann@heron.test'], raw)).at(-1)!, /^250/);
    const stored = (await inbox()).slice(before)[0]!;
    const seen = seenByChecks.at(-1)!;
    assert.deepEqual(seen, normalizeLineEnds(Buffer.concat([raw, Buffer.from('\r\n')])));
    assert.ok(onlyCrlf(stored), 'CRLF only');
    assert.deepEqual(stored.subarray(stored.length - seen.length), seen);
    assert.match(stored.toString('latin1'), /\r\nSubject: big body\r\n\r\nbody line 0 /);
    // A bare CR in the body is no header problem: the large spooled path does not refuse it either.
    assert.equal(readdirSync(mx.spoolDir).filter((f) => f.endsWith('.eml')).length, 0, 'spool file removed');
  });
});
