import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { signMessage } from '../../outbound/dkim-sign.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const pub = createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
const key = { domain: 'example.test', selector: 'heron', privateKeyPem: pem, publicKeyBase64: pub };
const resolver = async () => [[`v=DKIM1; k=rsa; p=${pub}`]];
type R = { status: { result: string }; signingHeaders?: { keys: string } };
const verify = async (raw: Buffer) => ((await dkimVerify(raw, { resolver: resolver as never })).results as R[]);

test('DKIM: a signature that verifies with mailauth, From signed and oversigned (RFC 6376 5.4.2)', async () => {
  const raw = Buffer.from('From: Bob <bob@example.test>\r\nTo: x@y.test\r\nSubject:  hello   world \r\n folded\r\n\r\nHi  there \r\n\r\n\r\n');
  const signed = await signMessage(raw, 'example.test', () => key);
  const [r] = await verify(signed);
  assert.equal(r!.status.result, 'pass');
  const h = /h=([^;]+);/.exec(signed.toString('latin1'))![1]!.split(':');
  assert.equal(h.filter((x) => x === 'from').length, 2, 'From listed once more than it occurs');
  // A From added above the signed one (the spoofing trick) breaks the signature.
  const [t] = await verify(Buffer.from('From: Ann <ann@example.test>\r\n' + signed.toString('latin1'), 'latin1'));
  assert.notEqual(t!.status.result, 'pass');
});

test('DKIM: bare CR and bare LF are made CRLF before signing, so the signed fields are the stored ones', async () => {
  const raw = Buffer.from('X-A: a\rFrom: ann@example.test\n\r\nFrom: bob@example.test\r\nSubject: s\r\n\r\nbody\n');
  const signed = await signMessage(raw, 'example.test', () => key);
  assert.equal(signed.includes('\r\r'), false);
  const [r] = await verify(signed);
  assert.equal(r!.status.result, 'pass');
  const h = /h=([^;]+);/.exec(signed.toString('latin1'))![1]!.split(':');
  // Under the one line rule the empty line comes right after ann's From: bob's is body text.
  assert.equal(h.filter((x) => x === 'from').length, 2);
  assert.match(signed.toString('latin1'), /\r\nX-A: a\r\nFrom: ann@example\.test\r\n\r\nFrom: bob/);
});

test('DKIM: a message without From still lists from in h=', async () => {
  const signed = await signMessage(Buffer.from('Subject: x\r\n\r\n'), 'example.test', () => key);
  assert.match(signed.toString(), /h=from:/);
  assert.equal((await verify(signed))[0]!.status.result, 'pass');
});
