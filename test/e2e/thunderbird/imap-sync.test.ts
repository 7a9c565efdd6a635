import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startThunderbirdTestbed, type ThunderbirdTestbed } from '../../helpers/thunderbird/setup.js';
import type { MailClient } from '../../helpers/thunderbird/mail-client.js';
import { HOSTNAME, type MailHost } from '../../helpers/thunderbird/mail-host.js';
import { deliver, listMailbox } from '../../helpers/thunderbird/server-side.js';
import { readAndFlag, receive, type User } from '../../helpers/thunderbird/checks.js';
import { waitUntil } from '../../helpers/thunderbird/wait.js';

// Issue 8: Thunderbird over 993-style implicit TLS by host name (SNI), set up as its account
// hub does, keeps its folders in step with the server in both directions, and IDLE pushes.
const ANN = { email: 'ann@example.test', password: 'ann-imap-pass-1', realName: 'Ann Example' };
let bed: ThunderbirdTestbed;
let host: MailHost;
let mail: MailClient;
let ann: User;
let accountKey = '';

before(async () => {
  bed = await startThunderbirdTestbed({ users: { [ANN.email]: ANN.password } });
  ({ host, mail } = bed);
  ann = bed.user(ANN.email);
});

after(() => bed?.stop());

const msgId = (n: string) => `${n}.${Date.now()}@sender.example.net`;
const ids = { keep: msgId('keep'), drop: msgId('drop'), serverSide: msgId('server-side'), pushed: msgId('pushed') };

/** Runs `fn` with `path` selected in the test's own IMAP session. */
async function onServer(path: string, fn: () => Promise<unknown>): Promise<void> {
  const lock = await ann.imap.getMailboxLock(path);
  try {
    await fn();
  } finally {
    lock.release();
  }
}

test('account set up by host name over implicit TLS finds every special-use folder', async () => {
  const settings = {
    ...ANN,
    imap: { hostname: HOSTNAME, port: host.ports.imaps, socket: 'SSL' as const },
    smtp: { hostname: HOSTNAME, port: host.ports.submissions, socket: 'SSL' as const },
  };
  // Thunderbird really checks the chain and the name: before its CA is trusted, setup stops at
  // the certificate-exception dialog.
  await assert.rejects(mail.createAccount(settings), new RegExp(`does not trust the certificate of ${HOSTNAME}:${host.ports.imaps}`));
  // A trust anchor, not a per-host exception: the certificate is checked as a public one would be.
  assert.equal(await mail.trustCa(host.ca.cert), 'Heron Thunderbird Test CA');
  accountKey = await mail.createAccount(settings);
  const folders = await mail.discoveredFolders(accountKey, ['Inbox', 'SentMail', 'Drafts', 'Junk', 'Trash', 'Archive']);
  // Each role on exactly the folder Heron marks with it (Thunderbird's names: SentMail for \Sent).
  assert.deepEqual(
    Object.fromEntries(folders.filter((f) => f.roles.length > 0).map((f) => [f.path, f.roles])),
    { INBOX: ['Inbox'], Sent: ['SentMail'], Drafts: ['Drafts'], Junk: ['Junk'], Trash: ['Trash'], Archive: ['Archive'] },
  );
});

test('mail delivered over SMTP appears in the INBOX; read, flag, archive and delete reach the server', async () => {
  assert.equal((await receive(host, mail, accountKey, ANN.email, ids.keep, 'Keep this one')).subject, 'Keep this one');
  await receive(host, mail, accountKey, ANN.email, ids.drop, 'Drop this one');
  await readAndFlag(mail, accountKey, ann, ids.keep);

  await mail.archive(accountKey, 'INBOX', ids.keep);
  assert.equal(await mail.delete(accountKey, 'INBOX', ids.drop), 1, "Thunderbird's default IMAP delete model: move to Trash");

  // Heron offers X-GM-EXT-1, so Thunderbird treats it as Gmail and archives into the one
  // \Archive folder instead of yearly sub-folders.
  const archived = await waitUntil('the archived message on the server', async () =>
    (await listMailbox(ann.imap, 'Archive')).find((m) => m.messageId === ids.keep),
  );
  assert.deepEqual(archived.flags, ['\\Flagged', '\\Seen'], 'flags travel with the archived message');
  await waitUntil('the deleted message in Trash', async () => (await listMailbox(ann.imap, 'Trash')).find((m) => m.messageId === ids.drop));
  await waitUntil('an INBOX without both', async () => {
    const list = await listMailbox(ann.imap, 'INBOX');
    return !list.some((m) => m.messageId === ids.keep || m.messageId === ids.drop);
  });
});

test('changes made on the server reach Thunderbird on its next sync', async () => {
  await receive(host, mail, accountKey, ANN.email, ids.serverSide, 'Changed elsewhere');
  const uid = String((await listMailbox(ann.imap, 'INBOX')).find((m) => m.messageId === ids.serverSide)!.uid);
  await onServer('INBOX', () => ann.imap.messageFlagsAdd(uid, ['\\Flagged', '\\Seen'], { uid: true }));
  const seen = (await mail.sync(accountKey, 'INBOX')).find((m) => m.messageId === ids.serverSide);
  assert.deepEqual(seen && { read: seen.read, flagged: seen.flagged }, { read: true, flagged: true });

  await onServer('INBOX', () => ann.imap.messageMove(uid, 'Archive', { uid: true }));
  const inbox = await mail.sync(accountKey, 'INBOX');
  assert.equal(inbox.find((m) => m.messageId === ids.serverSide), undefined, 'moved away on the server: gone from the INBOX');
  assert.ok((await mail.sync(accountKey, 'Archive')).find((m) => m.messageId === ids.serverSide), 'and in Archive');
});

test('IDLE: new mail reaches Thunderbird without a fetch', async () => {
  // Thunderbird's connection stays in the INBOX after a sync and IDLEs there (mail.server.default.use_idle).
  await mail.sync(accountKey, 'INBOX');
  await deliver(host, { from: 'carol@sender.example.net', to: ANN.email, subject: 'Pushed by IDLE', text: 'Pushed\r\n', messageId: ids.pushed });
  // Only Thunderbird's database is read from here on: no sync, no "get messages".
  const pushed = await waitUntil('the pushed message in Thunderbird', async () =>
    (await mail.messages(accountKey, 'INBOX')).find((m) => m.messageId === ids.pushed),
  );
  assert.equal(pushed.subject, 'Pushed by IDLE');
});
