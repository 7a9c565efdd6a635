/**
 * Implicit TLS connections end cleanly however the client leaves: the TLS layer is fed through
 * JS (imap/session/server-tls.ts, for IDLE memory), so a reset, a half-done handshake or a plain
 * close must still close the session and free its per-IP slot.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { startHarness, HOSTNAME, PASSWORD, type Harness } from './harness.js';
import { RawSocket, exchange, rawLogin } from './raw-client.js';

const closed = (s: net.Socket): Promise<void> => new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

describe('implicit TLS connection teardown', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ limits: { maxConnectionsPerIp: 2 } });
  });
  after(async () => {
    await h.close();
  });

  /** Both slots free again: two logins succeed (a leaked slot answers BYE instead). */
  const slotsFree = async (): Promise<void> => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const pair = await Promise.allSettled([rawLogin(h.securePort, 'alice@example.test', PASSWORD), rawLogin(h.securePort, 'alice@example.test', PASSWORD)]);
      for (const r of pair) if (r.status === 'fulfilled') r.value.close();
      if (pair.every((r) => r.status === 'fulfilled')) return;
      if (Date.now() > deadline) assert.fail(`per-IP slots not released: ${pair.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok')).join('; ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  test('a client that resets the TCP connection in IDLE frees its slot', async () => {
    // TLS over a socket of the test's own, so that it can send a TCP reset.
    const tcp = net.connect(h.securePort, '127.0.0.1');
    tcp.on('error', () => undefined);
    const a = new RawSocket(tls.connect({ socket: tcp, rejectUnauthorized: false, servername: HOSTNAME }));
    await a.waitFor((t) => /^\* OK/m.test(t));
    await exchange(a, 'L', `LOGIN alice@example.test "${PASSWORD}"`);
    const b = await rawLogin(h.securePort, 'alice@example.test', PASSWORD);
    for (const s of [a, b]) {
      await exchange(s, 'S', 'SELECT INBOX');
      s.write('I IDLE\r\n');
      await s.waitFor((t) => /\+ idling/.test(t));
    }
    tcp.resetAndDestroy();
    b.socket.destroy();
    await slotsFree();
  });

  test('connections dropped during or before the handshake leave nothing behind; SNI still answered', async () => {
    const half = net.connect(h.securePort, '127.0.0.1');
    half.on('error', () => undefined);
    await new Promise((r) => half.once('connect', r));
    // A ClientHello's first bytes, then a reset: the server must not wait for the rest.
    half.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]));
    half.resetAndDestroy();
    const silent = net.connect(h.securePort, '127.0.0.1');
    silent.on('error', () => undefined);
    await new Promise((r) => silent.once('connect', r));
    silent.end();
    await closed(silent);
    await slotsFree();
    const sni = await RawSocket.connect(h.securePort, true, HOSTNAME);
    assert.match(await exchange(sni, 'L', `LOGIN alice@example.test "${PASSWORD}"`), /^L OK/m);
    sni.close();
  });
});
