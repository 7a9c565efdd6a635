/**
 * Debian's isync (mbsync) against the server over implicit TLS by host name: a two-way sync with
 * flag changes, moves and deletions on both sides (deletions reach the server through CLOSE and
 * UID EXPUNGE, which the old server got wrong).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ImapFlow } from 'imapflow';
import { ensureCommand } from '../helpers/debian.js';
import { startHarness, PASSWORD, type Harness } from './harness.js';

const run = promisify(execFile);

interface LocalMessage {
  folder: string;
  path: string;
  subject: string;
  flags: string;
}

/** Every message in the Maildir tree, with its Subject and its maildir flags (`:2,FS`). */
function localMessages(root: string): LocalMessage[] {
  const out: LocalMessage[] = [];
  for (const folder of readdirSync(root)) {
    for (const sub of ['cur', 'new']) {
      let names: string[];
      try {
        names = readdirSync(join(root, folder, sub));
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(root, folder, sub, name);
        const subject = /^Subject: (.*)$/m.exec(readFileSync(path, 'latin1'))?.[1]?.trim() ?? '';
        out.push({ folder, path, subject, flags: name.includes(':2,') ? name.slice(name.indexOf(':2,') + 3) : '' });
      }
    }
  }
  return out.sort((a, b) => (a.folder + a.subject < b.folder + b.subject ? -1 : 1));
}

async function serverMessages(c: ImapFlow, box: string): Promise<Array<{ subject: string; flags: string[] }>> {
  const lock = await c.getMailboxLock(box);
  try {
    const out: Array<{ subject: string; flags: string[] }> = [];
    for await (const m of c.fetch('1:*', { envelope: true, flags: true })) out.push({ subject: m.envelope?.subject ?? '', flags: [...(m.flags ?? [])].sort() });
    return out.sort((a, b) => (a.subject < b.subject ? -1 : 1));
  } catch {
    return [];
  } finally {
    lock.release();
  }
}

describe('mbsync (isync) two-way sync', () => {
  let h: Harness;
  let c: ImapFlow;
  let mbsync: string;
  let config: string;
  let maildir: string;
  const sync = async (): Promise<void> => {
    await run(mbsync, ['-c', config, '-a'], { timeout: 60_000 });
  };

  before(async () => {
    mbsync = ensureCommand('mbsync', 'isync');
    h = await startHarness();
    c = await h.client();
    await c.mailboxCreate('Work');
    for (const s of ['in-1', 'in-2', 'in-3']) await c.append('INBOX', `From: a@example.test\r\nSubject: ${s}\r\nMessage-ID: <${s}@t>\r\n\r\nbody ${s}\r\n`);
    for (const s of ['work-1', 'work-2']) await c.append('Work', `From: a@example.test\r\nSubject: ${s}\r\nMessage-ID: <${s}@t>\r\n\r\nbody ${s}\r\n`, ['\\Seen']);
    maildir = join(h.dir, 'maildir');
    mkdirSync(maildir, { recursive: true });
    config = join(h.dir, 'mbsyncrc');
    writeFileSync(
      config,
      [
        'IMAPAccount heron',
        // By name, so the client sends SNI and checks the certificate against it.
        'Host localhost',
        `Port ${h.securePort}`,
        'User alice@example.test',
        `Pass "${PASSWORD}"`,
        'SSLType IMAPS',
        `CertificateFile ${h.ca.certPath}`,
        '',
        'IMAPStore remote',
        'Account heron',
        '',
        'MaildirStore local',
        `Path ${maildir}/`,
        `Inbox ${maildir}/INBOX`,
        'SubFolders Verbatim',
        '',
        'Channel heron',
        'Far :remote:',
        'Near :local:',
        'Patterns INBOX Work',
        'Create Both',
        'Expunge Both',
        'SyncState *',
        'Sync All',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await c.logout().catch(() => undefined);
    await h.close();
  });

  test('the first sync copies every message and flag down', async () => {
    await sync();
    const local = localMessages(maildir);
    assert.deepEqual(local.map((m) => `${m.folder}/${m.subject}`), ['INBOX/in-1', 'INBOX/in-2', 'INBOX/in-3', 'Work/work-1', 'Work/work-2']);
    assert.ok(local.filter((m) => m.folder === 'Work').every((m) => m.flags.includes('S')));
  });

  test('changes on both sides meet: flags, moves and deletions each way', async () => {
    // Server side: flag in-1, move in-2 to Work, delete work-1.
    let lock = await c.getMailboxLock('INBOX');
    try {
      const uids = new Map<string, number>();
      for await (const m of c.fetch('1:*', { envelope: true, uid: true })) uids.set(m.envelope?.subject ?? '', m.uid);
      await c.messageFlagsAdd(String(uids.get('in-1')), ['\\Flagged'], { uid: true });
      await c.messageMove(String(uids.get('in-2')), 'Work', { uid: true });
    } finally {
      lock.release();
    }
    lock = await c.getMailboxLock('Work');
    try {
      const uids = new Map<string, number>();
      for await (const m of c.fetch('1:*', { envelope: true, uid: true })) uids.set(m.envelope?.subject ?? '', m.uid);
      await c.messageDelete(String(uids.get('work-1')), { uid: true });
    } finally {
      lock.release();
    }
    // Local side: mark in-3 seen and move it to Work, delete work-2, file a new message.
    const local = localMessages(maildir);
    const in3 = local.find((m) => m.subject === 'in-3')!;
    const seen = in3.path.includes(':2,') ? in3.path.replace(/:2,([A-Z]*)$/, (_s, f: string) => `:2,${[...new Set((f + 'S').split(''))].sort().join('')}`) : `${in3.path}:2,S`;
    renameSync(in3.path, seen.replace(`${join('INBOX', 'new')}`, join('INBOX', 'cur')));
    unlinkSync(local.find((m) => m.subject === 'work-2')!.path);
    const moveMe = localMessages(maildir).find((m) => m.subject === 'in-3')!;
    // A moved file loses the UID mbsync recorded in its name: it is a new message in Work.
    const base = moveMe.path.split('/').pop()!.replace(/,U=\d+/, '');
    renameSync(moveMe.path, join(maildir, 'Work', 'cur', base));
    writeFileSync(join(maildir, 'INBOX', 'new', `${Date.now()}.local.test`), 'From: me@example.test\r\nSubject: local-new\r\nMessage-ID: <local-new@t>\r\n\r\nwritten offline\r\n');

    await sync();
    await sync();

    assert.deepEqual(await serverMessages(c, 'INBOX'), [
      { subject: 'in-1', flags: ['\\Flagged'] },
      { subject: 'local-new', flags: [] },
    ]);
    assert.deepEqual(await serverMessages(c, 'Work'), [
      { subject: 'in-2', flags: [] },
      { subject: 'in-3', flags: ['\\Seen'] },
    ]);
    const after = localMessages(maildir);
    assert.deepEqual(after.map((m) => `${m.folder}/${m.subject}`), ['INBOX/in-1', 'INBOX/local-new', 'Work/in-2', 'Work/in-3']);
    assert.ok(after.find((m) => m.subject === 'in-1')!.flags.includes('F'));
    assert.ok(after.find((m) => m.subject === 'in-3')!.flags.includes('S'));
  });
});
