import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv, freePort, startHeronProcess } from '../helpers/heron-process.js';
import { heronOnTerminal } from '../helpers/pty.js';

const ESC = String.fromCharCode(27);
const dir = mkdtempSync(join(tmpdir(), 'heron-start-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('on a terminal the start-up log is readable lines in colour, ending with where to go next', async () => {
  const raw = heronOnTerminal(['start'], baseEnv(join(dir, 'tty'), { HERON_IMAPS_PORT: String(await freePort()) }), { until: 'Heron is running' }).output;
  assert.ok(raw.includes(`${ESC}[32m`), 'colours');
  const out = raw.replace(new RegExp(`${ESC}\\[\\d+m`, 'g'), '');
  assert.match(out, /Heron is running\. Next: add an account in Thunderbird/);
  assert.match(out, /\d\d:\d\d:\d\d .*INFO .*listening/);
  assert.doesNotMatch(out, /\{"level":/, 'no JSON on a terminal');
  assert.match(out, /WARN .*self-signed certificate/);
});

test('piped, it is one JSON object per line with no colours, the last one saying where to go next', async () => {
  const heron = startHeronProcess(baseEnv(join(dir, 'pipe'), { HERON_IMAPS_PORT: String(await freePort()) }));
  try {
    await heron.waitFor(/Heron is running/);
    const lines = heron.output().trim().split('\n');
    for (const line of lines) JSON.parse(line);
    assert.ok(!heron.output().includes(ESC), 'no colours');
    const last = JSON.parse(lines[lines.length - 1]!) as { msg: string; event: string };
    assert.equal(last.event, 'ready');
    assert.match(last.msg, /^Heron is running\. Next: .*heron doctor/);
  } finally {
    heron.child.kill('SIGTERM');
    await heron.exited;
  }
});
