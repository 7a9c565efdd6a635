import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startThunderbirdTestbed, type ThunderbirdTestbed } from '../../helpers/thunderbird/setup.js';
import type { MailClient } from '../../helpers/thunderbird/mail-client.js';
import { HOSTNAME, type MailHost } from '../../helpers/thunderbird/mail-host.js';
import { sendAndCheck, type User } from '../../helpers/thunderbird/checks.js';
import { sentAppendsMatched, submissionLogins } from '../../helpers/thunderbird/heron-log.js';

// Issue 8 item 5: Thunderbird sends through submission and then APPENDs its own copy to Sent
// ("place a copy in Sent", on by default) after the submission service already filed one.
// Sent must hold the message once, on 465 (implicit TLS) and on 587 (STARTTLS) alike.
const ANN = { email: 'ann@example.test', password: 'ann-send-pass-1', realName: 'Ann Example' };
const BOB = { email: 'bob@example.test', password: 'bob-send-pass-1' };
let bed: ThunderbirdTestbed;
let host: MailHost;
let mail: MailClient;
let ann: User;
let bob: User;
let accountKey = '';

before(async () => {
  bed = await startThunderbirdTestbed({ users: { [ANN.email]: ANN.password, [BOB.email]: BOB.password } });
  ({ host, mail } = bed);
  ann = bed.user(ANN.email);
  bob = bed.user(BOB.email);
  await mail.trustCa(host.ca.cert);
  accountKey = await mail.createAccount({
    ...ANN,
    imap: { hostname: HOSTNAME, port: host.ports.imaps, socket: 'SSL' },
    smtp: { hostname: HOSTNAME, port: host.ports.submissions, socket: 'SSL' },
  });
  await mail.discoveredFolders(accountKey, ['Inbox', 'SentMail']);
});

after(() => bed?.stop());

test('send over 465 (implicit TLS, AUTH PLAIN): the recipient gets it, Sent holds one copy', async () => {
  const matched = sentAppendsMatched(host.heron.output());
  await sendAndCheck(mail, accountKey, ann, bob, 'Over implicit TLS');
  assert.deepEqual(submissionLogins(host.heron.output()).at(-1), { listener: 'submissions', method: 'PLAIN' });
  // One copy because Thunderbird's own APPEND was matched with submission's, not because it made none.
  assert.equal(sentAppendsMatched(host.heron.output()), matched + 1);
});

test('send over 587 (STARTTLS, AUTH PLAIN): the recipient gets it, Sent holds one copy', async () => {
  await mail.useSmtpServer(accountKey, { hostname: HOSTNAME, port: host.ports.submission, socket: 'STARTTLS' }, ANN.email, ANN.password);
  const matched = sentAppendsMatched(host.heron.output());
  await sendAndCheck(mail, accountKey, ann, bob, 'Over STARTTLS');
  assert.deepEqual(submissionLogins(host.heron.output()).at(-1), { listener: 'submission', method: 'PLAIN' });
  assert.equal(sentAppendsMatched(host.heron.output()), matched + 1);
});
