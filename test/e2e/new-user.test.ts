import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { baseEnv, freePort, heronCli, startHeronProcess, type HeronProcess } from '../helpers/heron-process.js';

// The "tried as a new user would": CLI user, smtplib delivery, imaplib session, restart.
const script = join(dirname(fileURLToPath(import.meta.url)), 'new-user.py');
const dataDir = mkdtempSync(join(tmpdir(), 'heron-e2e-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function python(args: string[]): Record<string, unknown> {
  const r = spawnSync('python3', [script, ...args], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `python failed:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

test('a new user: CLI account, smtplib delivery, imaplib session, restart keeps everything', async () => {
  const smtp = await freePort();
  const imap = await freePort();
  const env = baseEnv(dataDir, { HERON_SMTP_PORT: String(smtp), HERON_IMAP_PORT: String(imap) });
  const add = heronCli(['user', 'add', 'ann@heron.test', '--name', 'Ann'], env, { input: 'ann-secret-1\n' });
  assert.equal(add.status, 0, add.stderr);

  let heron: HeronProcess = startHeronProcess(env);
  let first: Record<string, unknown>;
  try {
    await heron.waitFor(/"listener":"imap"/);
    first = python([String(smtp), String(imap), 'ann@heron.test', 'ann-secret-1', 'first']);
  } finally {
    heron.child.kill('SIGTERM');
    await heron.exited;
  }
  assert.equal(first.logindisabled, true);
  assert.equal(first.plain_login, 'refused');
  assert.equal(first.unknown_user, '550 5.1.1');
  assert.equal(first.relay, '554 5.7.1');
  assert.equal(first.exists, 3);
  assert.equal(first.search_text, '2');
  assert.equal(first.search_subject, '1');
  assert.equal(first.fetch_subject, 'Subject: Lunch on Friday');
  assert.equal(first.body_has_received, true);
  assert.equal(first.flagged, '1');
  assert.equal(first.unseen_after_body_fetch, '1 3', 'BODY[] sets \\Seen, BODY.PEEK does not');
  assert.equal(first.copy, 'OK');
  assert.equal(first.move, 'OK');
  assert.match(String(first.archive_status), /MESSAGES 1/);
  assert.deepEqual(first.expunged, ['1']);
  assert.equal(first.append, 'OK');
  assert.equal(first.appenduid, true);
  const flagsBefore = first.inbox_flags as string[];
  assert.equal(flagsBefore.length, 1);
  assert.match(flagsBefore[0]!, /UID 2\b/);
  assert.match(flagsBefore[0]!, /FLAGS \(\\Seen\)/);

  heron = startHeronProcess(env);
  try {
    await heron.waitFor(/"listener":"imap"/);
    const second = python([String(smtp), String(imap), 'ann@heron.test', 'ann-secret-1', 'after-restart']);
    assert.equal(second.exists, 1);
    assert.equal(second.uidvalidity, first.uidvalidity, 'UIDVALIDITY survives a restart');
    assert.deepEqual(second.inbox_flags, flagsBefore, 'UIDs and flags survive a restart');
    assert.match(String(second.archive_status), /MESSAGES 1/);
    assert.match(String(second.drafts_status), /MESSAGES 1/);
    assert.match(String(second.trash_status), /MESSAGES 1/);
    assert.match(String(second.idle_continuation), /^\+/);
    assert.match(String(second.idle_push), /^\* 2 EXISTS$/);
    assert.match(String(second.idle_done), /^a1 OK/);
  } finally {
    heron.child.kill('SIGTERM');
    await heron.exited;
  }
});
