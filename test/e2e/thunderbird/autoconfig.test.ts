import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { startThunderbirdTestbed, type ThunderbirdTestbed } from '../../helpers/thunderbird/setup.js';
import type { MailClient } from '../../helpers/thunderbird/mail-client.js';
import { HOSTNAME, type MailHost } from '../../helpers/thunderbird/mail-host.js';
import { readAndFlag, receive, sendAndCheck, type User } from '../../helpers/thunderbird/checks.js';

// Issue 12: Thunderbird, given only name, address and password, finds every setting. Its account
// hub asks https://autoconfig.<domain>/mail/config-v1.1.xml (and <domain>/.well-known/..., and
// Outlook's autodiscover) on the standard ports only, so this deployment runs where a real one
// does: well-known on 80/443, IMAP on 993 and 143, submission on 465 and 587 (the test runs as root).
const ANN = { email: 'ann@example.test', password: 'ann-autoconfig-1', realName: 'Ann Example' };
const BOB = { email: 'bob@example.test', password: 'bob-autoconfig-1' };
const PORTS = { http: 80, https: 443, imaps: 993, imap: 143, submissions: 465, submission: 587 };
let bed: ThunderbirdTestbed;
let host: MailHost;
let mail: MailClient;
let ann: User;
let bob: User;
let accountKey = '';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

before(async () => {
  for (const port of Object.values(PORTS)) assert.ok(await portFree(port), `port ${port} must be free on 127.0.0.1 (and the test run as root)`);
  bed = await startThunderbirdTestbed({ users: { [ANN.email]: ANN.password, [BOB.email]: BOB.password }, ports: PORTS });
  ({ host, mail } = bed);
  ann = bed.user(ANN.email);
  bob = bed.user(BOB.email);
  await mail.trustCa(host.ca.cert);
});

after(() => bed?.stop());

test('from the address alone Thunderbird finds IMAP 993 SSL and SMTP 465 SSL / 587 STARTTLS, and logs in', async () => {
  const { found, accountKey: key } = await mail.autoconfigure(ANN);
  accountKey = key;
  assert.equal(found.source, 'xml-from-isp-https', 'the HTTPS autoconfig document, first choice');
  const server = (type: string, port: number, socket: number) => ({ type, hostname: HOSTNAME, port, socket, auth: 3, username: '%EMAILADDRESS%' });
  assert.deepEqual(found.incoming, [server('imap', 993, 3), server('imap', 143, 2)], 'implicit TLS chosen, STARTTLS the alternative');
  assert.deepEqual(found.outgoing, [server('smtp', 465, 3), server('smtp', 587, 2)]);
});

test('the account it created works: folders, new mail, flags and sending', async () => {
  const folders = await mail.discoveredFolders(accountKey, ['Inbox', 'SentMail', 'Drafts', 'Junk', 'Trash', 'Archive']);
  for (const path of ['INBOX', 'Sent', 'Drafts', 'Junk', 'Trash', 'Archive']) assert.ok(folders.some((f) => f.path === path), `${path} found`);
  const messageId = `autoconfig.${Date.now()}@sender.example.net`;
  await receive(host, mail, accountKey, ANN.email, messageId, 'Welcome');
  await readAndFlag(mail, accountKey, ann, messageId);
  await sendAndCheck(mail, accountKey, ann, bob, 'Sent from an autoconfigured account');
});

test("Thunderbird's Exchange autodiscover lookup reads Heron's answer as IMAP and SMTP settings", async () => {
  const found = await mail.exchangeAutodiscover(ANN.email, ANN.password);
  const server = (type: string, port: number, socket: number) => ({ type, hostname: HOSTNAME, port, socket, auth: 3, username: ANN.email });
  assert.deepEqual(found.incoming[0], server('imap', 993, 3));
  assert.deepEqual(found.outgoing[0], server('smtp', 465, 3));
});
