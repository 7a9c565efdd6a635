import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { baseEnv, freePort, heronCli, startHeronProcess, type HeronProcess } from '../helpers/heron-process.js';

const SESSIONS = 30;
/** Three waves of this many messages: if memory followed the volume, each wave would peak higher. */
const WAVE = 150;
/** An HTML body this size takes the parser tens of milliseconds (HTML to search text). */
const BODY_BYTES = 1024 * 1024;
/** RSS growth allowed over the warm baseline, whatever the volume: sessions x working set. */
const BUDGET = 220 * 1024 * 1024;

/** Resident set of a process, from /proc (Linux), in bytes. */
function rssOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function waitForGreeting(port: number, proc: HeronProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (proc.child.exitCode !== null) throw new Error(`heron exited early:\n${proc.output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('220'));
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no SMTP greeting on ${port}`);
}

function htmlBody(seed: number): string {
  const para = `<p>Paragraph ${seed} with <b>bold</b> and <a href="https://example.test/${seed}">a link</a> and some text to index.</p>\n`;
  return `<html><body>${para.repeat(Math.ceil(BODY_BYTES / para.length))}</body></html>`;
}

/**
 * Backpressure (issue 11): a flood of large messages over many sessions against `heron start`
 * with one parse worker and a short queue. What the workers cannot take is refused with
 * 451 4.3.2 (at MAIL FROM or after DATA), nothing else goes wrong, and the server's resident
 * memory (read from /proc in this, another process) stays far below what was sent.
 */
describe('MX flood against a saturated parse pool', () => {
  let dataDir: string;
  let port: number;
  let proc: HeronProcess;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'heron-flood-'));
    port = await freePort();
    const env = baseEnv(dataDir, {
      HERON_SMTP_PORT: String(port),
      HERON_LOG_LEVEL: 'warn',
      HERON_PARSE_WORKERS: '1',
      HERON_PARSE_QUEUE: '2',
      HERON_MAX_CONNECTIONS_PER_IP: String(SESSIONS * 2),
    });
    const add = heronCli(['user', 'add', 'flood@heron.test'], env, { input: 'pw-flood-123\n' });
    assert.equal(add.status, 0, add.stderr + add.stdout);
    proc = startHeronProcess(env);
    await waitForGreeting(port, proc);
  });
  after(async () => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('refuses with 451 4.3.2 and keeps its memory bounded', async (t) => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: SESSIONS, maxMessages: Infinity });
    const send = (i: number) =>
      transport.sendMail({ from: 'sender@remote.test', to: 'flood@heron.test', subject: `flood ${i}`, html: htmlBody(i) });
    try {
      // Warm up (modules loaded, worker started), then take the baseline.
      await send(-1);
      const baseline = rssOf(proc.child.pid!);
      const peaks: number[] = [];
      let accepted = 0;
      const refused: Array<{ responseCode?: number; response?: string }> = [];
      for (let wave = 0; wave < 3; wave++) {
        let peak = baseline;
        const sampler = setInterval(() => (peak = Math.max(peak, rssOf(proc.child.pid!))), 20);
        const results = await Promise.allSettled(Array.from({ length: WAVE }, (_, i) => send(wave * WAVE + i)));
        clearInterval(sampler);
        peaks.push(peak - baseline);
        accepted += results.filter((r) => r.status === 'fulfilled').length;
        for (const r of results) if (r.status === 'rejected') refused.push(r.reason as { responseCode?: number; response?: string });
      }
      for (const err of refused) {
        assert.equal(err.responseCode, 451, String(err.response));
        assert.match(String(err.response), /^451 4\.3\.2 /);
      }
      assert.ok(refused.length > 0, 'the flood saturated the pool');
      assert.ok(accepted > 0, 'and mail still went through');
      const sentMb = Math.round((3 * WAVE * BODY_BYTES) / 1e6);
      const mb = peaks.map((p) => Math.round(p / 1e6));
      t.diagnostic(`${accepted} accepted, ${refused.length} refused 451 4.3.2; RSS growth per wave ${mb.join(', ')} MB; ${sentMb} MB sent`);
      assert.ok(Math.max(...peaks) < BUDGET, `RSS grew by ${mb.join(', ')} MB per wave while ${sentMb} MB were sent`);
      assert.ok(peaks[2]! < peaks[0]! + 60e6, `no growth from wave to wave: ${mb.join(', ')} MB`);
      // The server is fine afterwards: a new message goes through.
      await send(3 * WAVE);
    } finally {
      transport.close();
    }
  });
});
