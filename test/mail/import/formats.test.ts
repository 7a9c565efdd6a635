import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fileNameFlags,
  flagsFromFileName,
  folderToPath,
  parseDovecotKeywords,
  pathToFolder,
  placeByLabels,
  readMessageKey,
  separatorDate,
  splitLabels,
  targetForName,
} from '../../../mail/import/index.js';

test('X-Gmail-Labels: commas, quoted labels and encoded words', () => {
  assert.deepEqual(splitLabels('Inbox,Important,"Travel, 2023",=?UTF-8?Q?=C3=89t=C3=A9?=, Work/Projects ,'), ['Inbox', 'Important', 'Travel, 2023', 'Été', 'Work/Projects']);
  assert.deepEqual(splitLabels('"a \\" b"'), ['a " b']);
  assert.deepEqual(splitLabels('"unterminated'), ['unterminated']);
});

test('Gmail labels become special mailboxes, labels and flags; unlabelled mail goes to Archive', () => {
  assert.deepEqual(placeByLabels('Inbox,Opened'), { targets: [{ specialUse: '\\Inbox' }], flags: ['\\Seen'] });
  assert.deepEqual(placeByLabels('Inbox,Unread,Starred,Important'), { targets: [{ specialUse: '\\Inbox' }], flags: ['\\Flagged', '$Important'] });
  assert.deepEqual(placeByLabels('Archived,Opened,Category Social'), { targets: [{ specialUse: '\\Archive' }], flags: ['\\Seen'] });
  assert.deepEqual(placeByLabels('Sent,Drafts'), { targets: [{ specialUse: '\\Sent' }, { specialUse: '\\Drafts' }], flags: ['\\Seen', '\\Draft'] });
  assert.deepEqual(placeByLabels('Spam,Unread').targets, [{ specialUse: '\\Junk' }]);
  assert.deepEqual(placeByLabels('Trash').targets, [{ specialUse: '\\Trash' }]);
  assert.deepEqual(placeByLabels('Work / Projects,Inbox,inbox').targets, [{ path: 'Work/Projects' }, { specialUse: '\\Inbox' }]);
  assert.deepEqual(placeByLabels('Chat').targets, [{ path: 'Chats' }]);
  assert.deepEqual(placeByLabels('').targets, [{ specialUse: '\\Archive' }]);
});

test('folder names from other servers land in the special mailboxes', () => {
  assert.deepEqual(targetForName('Sent Items'), { specialUse: '\\Sent' });
  assert.deepEqual(targetForName('inbox'), { specialUse: '\\Inbox' });
  assert.deepEqual(targetForName('Deleted Messages'), { specialUse: '\\Trash' });
  assert.deepEqual(targetForName('Receipts'), { path: 'Receipts' });
});

test('Maildir flags from file names, keywords through dovecot-keywords, and back', () => {
  const keywords = parseDovecotKeywords('0 $Important\n1 project-x\nbad line\n30 too-far\n');
  assert.deepEqual(keywords, ['$Important', 'project-x']);
  assert.deepEqual(flagsFromFileName('1700000000.M1P2.host,S=123:2,FRSab', keywords).sort(), ['$Important', '\\Answered', '\\Flagged', '\\Seen', 'project-x'].sort());
  assert.deepEqual(flagsFromFileName('1700000000.M1P2.host:2,DPT', []).sort(), ['$Forwarded', '\\Deleted', '\\Draft']);
  assert.deepEqual(flagsFromFileName('1700000000.M1P2.host', keywords), []);
  const names: string[] = [];
  const index = (k: string) => {
    let i = names.indexOf(k);
    if (i === -1) i = names.push(k) - 1;
    return i;
  };
  assert.equal(fileNameFlags(['\\Seen', '\\Flagged', '$Forwarded', 'zeta', 'alpha', '\\Recent'], index), ':2,FPSab');
  assert.deepEqual(names, ['zeta', 'alpha']);
});

test('Maildir++ folder names: levels, modified UTF-7 and escapes round-trip', () => {
  assert.equal(folderToPath('.Work.Projects'), 'Work/Projects');
  assert.equal(folderToPath('.&AMk-t&AOk-'), 'Été');
  assert.equal(folderToPath('.Sent'), 'Sent');
  for (const path of ['Work/Projects', 'v1.2 notes', 'a^b', 'Été/Août', 'x&y']) assert.equal(folderToPath(pathToFolder(path)), path, path);
  assert.equal(pathToFolder('v1.2 notes'), '.v1^2e2 notes');
});

test('the identity of a message: Message-ID, Date, CRLF size', () => {
  const raw = Buffer.from('Message-ID: <a@b> (comment)\nDate: Wed, 01 Jan 2020 00:00:00 +0100\nSubject: x\n\nbody\n');
  const { key } = readMessageKey(raw);
  assert.equal(key.messageId, '<a@b>');
  assert.equal(key.date, Date.UTC(2019, 11, 31, 23, 0, 0));
  assert.equal(key.size, raw.length + 5, 'each bare LF becomes CRLF');
  assert.deepEqual(readMessageKey(Buffer.from('Subject: none\r\n\r\nx')).key, { messageId: null, date: null, size: 18 });
});

test('mbox separator dates: asctime, Takeout with a zone, and nonsense', () => {
  assert.equal(separatorDate('alice@example.net Mon Jan  1 09:08:07 2024')?.toISOString(), '2024-01-01T09:08:07.000Z');
  assert.equal(separatorDate('1701234567890123456@xxx Wed Jan 01 00:00:00 +0100 2020')?.toISOString(), '2019-12-31T23:00:00.000Z');
  assert.equal(separatorDate('MAILER-DAEMON'), null);
  assert.equal(separatorDate('x Foo Bar 99 99:99 2024'), null);
});
