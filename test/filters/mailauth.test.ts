import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth';
import { createMailauthCheck, createTableResolver, isFilterUnavailable } from '../../filters/index.js';
import { compose, contextFor, header } from './helpers.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pubB64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

const resolver = createTableResolver({
  'example.test': { TXT: [['v=spf1 ip4:192.0.2.0/24 -all']] },
  's1._domainkey.example.test': { TXT: [[`v=DKIM1; k=rsa; p=${pubB64}`]] },
  '_dmarc.example.test': { TXT: [['v=DMARC1; p=reject']] },
  'quarantine.test': { TXT: [['v=spf1 -all']] },
  '_dmarc.quarantine.test': { TXT: [['v=DMARC1; p=quarantine']] },
  'relaxed.test': { TXT: [['v=spf1 -all']] },
});

const check = createMailauthCheck({ hostname: 'mx.heron.test', resolver, timeoutMs: 10_000 });

async function signed(raw: Buffer): Promise<Buffer> {
  const key = { signingDomain: 'example.test', selector: 's1', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) };
  // mailauth signs with the entries of `signatureData` (its bundled typings only list the top level).
  const { signatures } = await dkimSign(raw, { ...key, signatureData: [key] } as Parameters<typeof dkimSign>[1]);
  assert.match(signatures, /^DKIM-Signature:/);
  return Buffer.concat([Buffer.from(signatures), raw]);
}

describe('mailauth check (SPF, DKIM, DMARC) with a fixed DNS table', () => {
  test('SPF pass from an allowed IP; Authentication-Results names this server (RFC 8601)', async () => {
    const raw = await compose({ text: 'hello' });
    const v = await check.check(contextFor(raw, { session: { remoteAddress: '192.0.2.10' } }));
    assert.equal(v.action, 'accept');
    const ar = header(v.headers, 'Authentication-Results') ?? '';
    assert.match(ar, /^mx\.heron\.test;/);
    assert.match(ar, /spf=pass/);
    assert.match(ar, /dmarc=pass/);
    assert.match(header(v.headers, 'Received-SPF') ?? '', /^pass/);
  });

  test('SPF fail from another IP with DMARC p=reject: rejected 550 5.7.1', async () => {
    const raw = await compose({ text: 'hello' });
    const v = await check.check(contextFor(raw, { session: { remoteAddress: '198.51.100.7' } }));
    assert.equal(v.action, 'reject');
    assert.equal(v.reply?.code, 550);
    assert.equal(v.reply?.enhanced, '5.7.1');
    assert.match(v.reply?.message ?? '', /DMARC/);
    assert.match(header(v.headers, 'Authentication-Results') ?? '', /spf=fail/);
  });

  test('a DKIM-signed message verifies and passes DMARC even when SPF fails', async () => {
    const raw = await signed(await compose({ text: 'signed body\r\n' }));
    const v = await check.check(contextFor(raw, { session: { remoteAddress: '198.51.100.7' } }));
    const ar = header(v.headers, 'Authentication-Results') ?? '';
    assert.match(ar, /dkim=pass/);
    assert.match(ar, /header\.d=example\.test/);
    assert.match(ar, /dmarc=pass/);
    assert.equal(v.action, 'accept');
  });

  test('a tampered DKIM-signed message fails DKIM and, with SPF failing too, is rejected', async () => {
    const raw = (await signed(await compose({ text: 'signed body\r\n' }))).toString().replace('signed body', 'changed body');
    const v = await check.check(contextFor(Buffer.from(raw), { session: { remoteAddress: '198.51.100.7' } }));
    assert.match(header(v.headers, 'Authentication-Results') ?? '', /dkim=(fail|neutral)/);
    assert.equal(v.action, 'reject');
  });

  test('DMARC p=quarantine failure goes to junk', async () => {
    const raw = await compose({ from: 'q@quarantine.test', text: 'hello' });
    const v = await check.check(contextFor(raw, { mailFrom: 'q@quarantine.test' }));
    assert.equal(v.action, 'junk');
    assert.match(v.reason ?? '', /quarantine/);
  });

  test('no DMARC record: SPF fail is recorded but the message is accepted', async () => {
    const raw = await compose({ from: 'r@relaxed.test', text: 'hello' });
    const v = await check.check(contextFor(raw, { mailFrom: 'r@relaxed.test' }));
    assert.equal(v.action, 'accept');
    assert.match(header(v.headers, 'Authentication-Results') ?? '', /spf=fail.*dmarc=none/s);
  });

  test('hostile input: garbage and NUL bytes still get Authentication-Results', async () => {
    const garbage = Buffer.concat([Buffer.from('\0\0From: <<<\r\nSubject: \0\r\n\r\n'), Buffer.alloc(10_000, 0xff)]);
    const v = await check.check(contextFor(garbage, { mailFrom: '' }));
    assert.ok(header(v.headers, 'Authentication-Results'));
    for (const [, value] of v.headers ?? []) assert.doesNotMatch(value, /\0/);
    const ok = await check.check(contextFor(await compose({ text: 'after garbage' })));
    assert.equal(ok.action, 'accept');
  });

  test('a DNS that never answers turns into FilterUnavailableError at the deadline', async () => {
    const hung = createMailauthCheck({
      hostname: 'mx',
      timeoutMs: 200,
      resolver: () => new Promise(() => undefined),
    });
    await assert.rejects(hung.check(contextFor(await compose({ text: 'x' }))), (err: unknown) => {
      assert.ok(isFilterUnavailable(err));
      assert.equal(err.reply.code, 451);
      return true;
    });
  });
});
