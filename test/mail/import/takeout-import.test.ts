import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, baseEnv, heronCli } from '../../helpers/heron-process.js';
import { withHeronImap } from '../../helpers/heron-imap.js';
import { LABEL_SETS, writeTakeoutMbox } from '../../helpers/takeout-mbox.js';

const dir = mkdtempSync(join(tmpdir(), 'heron-takeout-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const COUNT = 10_000;
const BAD_EVERY = 2500;
const env = baseEnv(join(dir, 'data'), { HERON_DOMAINS: 'example.test' });

/** `heron import` as a child process; `killWhen` stops it hard part-way (a crash, a Ctrl-C) once its output matches. */
function runImport(file: string, killWhen?: RegExp): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, join(REPO_ROOT, 'server', 'cli.ts'), 'import', 'ann@example.test', file],
      { env, cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (killWhen?.test(stderr)) child.kill('SIGKILL');
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

test('a 10,000-message Takeout mbox keeps every message, label and flag (checked over IMAP); interrupted and re-run, nothing is doubled', async () => {
  const file = join(dir, 'All mail Including Spam and Trash.mbox');
  const expected = await writeTakeoutMbox(file, { count: COUNT, badEvery: BAD_EVERY });
  assert.equal(heronCli(['user', 'add', 'ann@example.test'], env, { input: 'ann-secret-1\n' }).status, 0);

  // Stopped hard part-way: what was committed stays, the rest comes with the next run.
  // The first bad message is a quarter of the way in.
  const interrupted = await runImport(file, /skipped/);
  assert.equal(interrupted.code, null, 'killed');
  const full = await runImport(file);
  assert.equal(full.code, 1, 'exit 1: some messages could not be read');
  const summary = /import: ([\d,]+) imported, ([\d,]+) already there, (\d+) could not be read/.exec(full.stderr);
  assert.ok(summary, full.stderr);
  const n = (s: string) => Number(s.replace(/,/g, ''));
  assert.equal(n(summary[1]!) + n(summary[2]!), expected.good, 'every good message is in, once');
  assert.ok(n(summary[2]!) > 0, 'the interrupted run had stored some');
  assert.equal(Number(summary[3]), expected.bad);
  assert.equal((full.stderr.match(/skipped .* not a message: no header fields/g) ?? []).length, expected.bad, 'each bad message is reported');

  const again = await runImport(file);
  assert.match(again.stderr, /import: 0 imported, 9,996 already there, 4 could not be read/, 'a second run imports nothing new');

  await withHeronImap(env, { user: 'ann@example.test', pass: 'ann-secret-1' }, async (client) => {
    const listed = new Set((await client.list()).map((b) => b.path));
    // Message by message: each one in each of its labels' mailboxes, with its flags, and nothing else.
    const want = new Map<string, string[]>();
    for (let i = 0; i < COUNT; i++) {
      if (i % BAD_EVERY === BAD_EVERY - 1) continue;
      const set = LABEL_SETS[i % LABEL_SETS.length]!;
      for (const m of set.mailboxes) want.set(m, [...(want.get(m) ?? []), `<takeout-${i}@mail.gmail.com> ${[...set.flags].sort().join(' ')}`]);
    }
    for (const [mailbox, lines] of want) {
      const lock = await client.getMailboxLock(mailbox);
      try {
        const got = (await client.fetchAll('1:*', { envelope: true, flags: true })).map((m) => `${m.envelope!.messageId} ${[...m.flags!].filter((f) => f !== '\\Recent').sort().join(' ')}`);
        assert.deepEqual(got.sort(), lines.sort(), `${mailbox}: every message with its flags`);
      } finally {
        lock.release();
      }
    }
    for (const [mailbox, count] of expected.perMailbox) {
      assert.ok(listed.has(mailbox), `${mailbox} exists`);
      const status = await client.status(mailbox, { messages: true });
      assert.equal(status && status.messages, count, `${mailbox}: messages`);
      const lock = await client.getMailboxLock(mailbox);
      try {
        const flags = expected.flagCounts.get(mailbox)!;
        const count = async (q: Record<string, unknown>) => ((await client.search(q, { uid: true })) || []).length;
        assert.equal(await count({ seen: true }), flags.get('\\Seen') ?? 0, `${mailbox}: \\Seen`);
        assert.equal(await count({ flagged: true }), flags.get('\\Flagged') ?? 0, `${mailbox}: \\Flagged`);
        assert.equal(await count({ draft: true }), flags.get('\\Draft') ?? 0, `${mailbox}: \\Draft`);
        assert.equal(await count({ keyword: '$Important' }), flags.get('$Important') ?? 0, `${mailbox}: $Important`);
      } finally {
        lock.release();
      }
    }
    // A message reads as it was written: the mbox escaping is undone, the separator's time is INTERNALDATE.
    const lock = await client.getMailboxLock('INBOX');
    try {
      const [uid] = (await client.search({ header: { 'message-id': '<takeout-10@mail.gmail.com>' } }, { uid: true })) || [];
      assert.ok(uid);
      const msg = await client.fetchOne(String(uid), { source: true, internalDate: true }, { uid: true });
      assert.ok(msg);
      const source = msg.source!.toString();
      assert.match(source, /\r\nFrom the desk of the sender:\r\n>From a quoted line\r\n/);
      assert.equal(new Date(msg.internalDate!).toISOString(), new Date(Date.UTC(2020, 0, 1) + 10 * 60_000).toISOString());
    } finally {
      lock.release();
    }
  });
});
