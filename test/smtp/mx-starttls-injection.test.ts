import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { createMemoryBlobStore } from '../helpers/memory-blobs.js';
import { createFakeStore } from './helpers/fake-store.js';
import { startMx, type MxHarness } from './helpers/mx-harness.js';

let mx: MxHarness;
before(async () => {
  const store = createFakeStore(['heron.test']);
  store.addUser('ann@heron.test');
  mx = await startMx({ users: store.users, mail: store.mail, blobs: createMemoryBlobStore() });
});
after(async () => {
  await mx.close();
});

/** Collects everything a socket says until `done` matches or the peer closes (bounded by the test runner). */
function readUntil(socket: NodeJS.ReadableStream, done: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d.toString('latin1');
      if (done.test(text)) finish();
    };
    const finish = () => {
      socket.off('data', onData);
      resolve(text);
    };
    socket.on('data', onData);
    socket.once('close', finish);
  });
}

// RFC 3207 5 / CVE-2011-0411: commands pipelined after STARTTLS in plaintext must be discarded,
// not executed inside the TLS session.
test('plaintext injected after STARTTLS is not executed after the upgrade', async () => {
  const plain = netConnect(mx.port, '127.0.0.1');
  await readUntil(plain, /^220 .*\r\n/m);
  plain.write('EHLO client.test\r\n');
  await readUntil(plain, /^250 .*\r\n/m);
  plain.write('STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\n');
  const ready = await readUntil(plain, /^220 .*\r\n/m);
  assert.match(ready, /^220 /m);
  const secure: TLSSocket = tlsConnect({ socket: plain, rejectUnauthorized: false, servername: 'localhost' });
  await new Promise<void>((resolve, reject) => {
    secure.once('secureConnect', () => resolve());
    secure.once('error', reject);
  });
  secure.write('EHLO client.test\r\n');
  const ehlo = await readUntil(secure, /^250 .*\r\n/m);
  assert.match(ehlo, /^250-/, `the first reply over TLS is EHLO's, not one for the injected MAIL: ${ehlo}`);
  // If MAIL had run, a second MAIL would be "nested" (503). It must be accepted.
  secure.write('MAIL FROM:<a@remote.test>\r\n');
  assert.match(await readUntil(secure, /^\d{3} .*\r\n/m), /^250 /);
  secure.write('QUIT\r\n');
  await readUntil(secure, /^221 .*\r\n/m);
  secure.destroy();
});
