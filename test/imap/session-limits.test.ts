/**
 * Session housekeeping and limits with short settings: the IDLE keepalive, the idle timeout,
 * per-user connection and IDLE caps, and STARTTLS refusing pipelined plain-text commands.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, PASSWORD, type Harness } from './harness.js';
import { exchange, RawSocket } from './raw-client.js';

describe('session housekeeping and limits', () => {
  let h: Harness;
  const sockets: RawSocket[] = [];
  const login = async (): Promise<RawSocket> => {
    const s = await h.raw();
    sockets.push(s);
    return s;
  };
  before(async () => {
    h = await startHarness({ limits: { keepaliveMs: 300, maxConnectionsPerUser: 4, maxIdlePerUser: 2 } });
  });
  after(async () => {
    for (const s of sockets) s.close();
    await h.close();
  });

  test('IDLE gets `* OK Still here` keepalives; a silent session is logged out after the idle timeout', async () => {
    const idle = await login();
    await exchange(idle, 'S', 'SELECT INBOX');
    idle.write('I IDLE\r\n');
    await idle.waitFor((t) => /\+ idling/.test(t));
    await idle.waitFor((t) => /\* OK Still here/.test(t), 5000);
    idle.write('DONE\r\n');
    const short = await startHarness({ limits: { idleTimeoutMs: 1000 } });
    try {
      const quiet = await short.raw();
      await quiet.waitFor((t) => /\* BYE Autologout/.test(t) || quiet.closed, 15_000);
      assert.match(quiet.since(0), /\* BYE Autologout/);
    } finally {
      await short.close();
    }
  });

  test('sessions per user and IDLE sessions per user are capped (NO [LIMIT])', async () => {
    for (const s of sockets.splice(0)) s.close();
    await new Promise((r) => setTimeout(r, 300));
    const held: RawSocket[] = [];
    for (let i = 0; i < 4; i++) held.push(await login());
    const extra = await RawSocket.connect(h.securePort, true);
    sockets.push(extra);
    assert.match(await extra.command('L', `LOGIN alice@example.test "${PASSWORD}"`), /^L NO \[LIMIT\]/);
    for (const s of held) s.close();
    await new Promise((r) => setTimeout(r, 300));
    const [a, b, c] = [await login(), await login(), await login()];
    for (const s of [a, b]) {
      s.write('I IDLE\r\n');
      await s.waitFor((t) => /\+ idling/.test(t));
    }
    assert.match(await c.command('I', 'IDLE'), /^I NO \[LIMIT\]/);
  });

  test('STARTTLS with commands pipelined behind it is refused (no plain-text injection)', async () => {
    const s = await RawSocket.connect(h.port, false);
    sockets.push(s);
    s.write('S STARTTLS\r\nL LOGIN alice@example.test x\r\n');
    await s.waitFor((t) => /S BAD/.test(t));
    assert.match(s.since(0), /S BAD/);
  });
});
