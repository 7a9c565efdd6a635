import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgress } from '../../server/cli/progress.js';
import { createTerminal } from '../../server/cli/terminal.js';
import { baseEnv, heronCli } from '../helpers/heron-process.js';
import { heronOnTerminal } from '../helpers/pty.js';
import { writeTakeoutMbox } from '../helpers/takeout-mbox.js';

const ESC = String.fromCharCode(27);
const dir = mkdtempSync(join(tmpdir(), 'heron-import-progress-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A progress reporter writing into a string, on a clock the test moves. */
function reporter(isTTY: boolean) {
  let clock = 1_000_000;
  let text = '';
  const out = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
  const progress = createProgress({
    term: createTerminal({ isTTY }, { TERM: 'xterm' }),
    out,
    total: { unit: 'bytes', amount: 1000 },
    label: 'import',
    now: () => clock,
    plainEveryMs: 5000,
  });
  return { progress, advance: (ms: number) => (clock += ms), text: () => text };
}

test('on a terminal: one bar redrawn in place with counts, rate and time left; problems above it; cleared at the end', () => {
  const r = reporter(true);
  r.advance(10_000);
  r.progress.update({ read: 2000, imported: 1500, skipped: 500, failed: 0 }, 250);
  const first = r.text();
  assert.ok(first.startsWith(`\r${ESC}[2K`), 'redrawn in place');
  const plain = first.replace(new RegExp(`${ESC}\\[\\d*[mK]`, 'g'), '');
  assert.match(plain, /\[######------------------\] {2}25% 2,000 read, 1,500 new, 500 already there {2}200 msgs\/s {2}ETA 30s/);
  r.advance(50);
  r.progress.update({ read: 2001, imported: 1501, skipped: 500, failed: 0 }, 251);
  assert.equal(r.text(), first, 'not redrawn more than ten times a second');
  r.progress.problem('byte 4096', 'not a message: no header fields');
  assert.match(r.text().slice(first.length), new RegExp(`^\\r${ESC}\\[2K${ESC}\\[33mskipped${ESC}\\[39m byte 4096: not a message`));
  r.advance(30_000);
  r.progress.finish({ read: 8000, imported: 7000, skipped: 999, failed: 1 });
  assert.match(r.text(), /import: .*7,000.* imported, 999 already there, .*1.* could not be read — 8,000 in 40s \(200 msgs\/s\)\n$/);
});

test('not on a terminal: a plain line every few seconds, no colours and no carriage returns', () => {
  const r = reporter(false);
  r.progress.update({ read: 10, imported: 10, skipped: 0, failed: 0 }, 10);
  r.advance(6000);
  r.progress.update({ read: 1200, imported: 1200, skipped: 0, failed: 0 }, 500);
  r.advance(1000);
  r.progress.update({ read: 1300, imported: 1300, skipped: 0, failed: 0 }, 520);
  r.progress.finish({ read: 2600, imported: 2600, skipped: 0, failed: 0 });
  const text = r.text();
  assert.ok(!text.includes(ESC) && !text.includes('\r'), text);
  assert.deepEqual(text.trimEnd().split('\n'), ['import: 50% 1,200 read, 1,200 new, 0 already there, 200 msgs/s, about 6s left', 'import: 2,600 imported, 0 already there, 0 could not be read — 2,600 in 7s (371 msgs/s)']);
});

test('heron import shows the bar on a terminal and plain lines in a pipe', async () => {
  const env = baseEnv(join(dir, 'data'), { HERON_DOMAINS: 'example.test' });
  const file = join(dir, 'takeout.mbox');
  await writeTakeoutMbox(file, { count: 300, badEvery: 150 });
  assert.equal(heronCli(['user', 'add', 'ann@example.test'], env, { input: 'ann-secret-1\n' }).status, 0);

  const tty = heronOnTerminal(['import', 'ann@example.test', file], env);
  assert.equal(tty.status, 1, 'two messages could not be read');
  assert.match(tty.output, new RegExp(`${ESC}\\[36m\\[[#-]{24}\\]`), 'a coloured bar');
  assert.match(tty.output, new RegExp(`${ESC}\\[33mskipped${ESC}\\[39m`));
  assert.match(tty.output.replace(new RegExp(`${ESC}\\[\\d*[mK]`, 'g'), ''), /import: 298 imported, 0 already there, 2 could not be read/);

  const piped = heronCli(['import', 'ann@example.test', file], env);
  assert.equal(piped.status, 1);
  assert.ok(!piped.stderr.includes(ESC), 'no colours in a pipe');
  assert.match(piped.stderr, /^Importing .* \(mbox\) into ann@example\.test$/m);
  assert.match(piped.stderr, /^import: 0 imported, 298 already there, 2 could not be read — 300 in /m);
});
