import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { prepareMessage } from '../../mail/mime/index.js';
import { startApi, call, signUp, type Harness } from './helpers.js';

function rawMessage(opts: { from: string; to: string; subject: string; body: string; date?: string; attachment?: { name: string; content: Buffer }; html?: string }): Buffer {
  const head = [`From: ${opts.from}`, `To: ${opts.to}`, `Subject: ${opts.subject}`, `Date: ${opts.date ?? new Date().toUTCString()}`, `Message-ID: <${Math.random().toString(36).slice(2)}@example.test>`, 'MIME-Version: 1.0'];
  if (!opts.attachment && !opts.html) return Buffer.from([...head, 'Content-Type: text/plain; charset=utf-8', '', opts.body, ''].join('\r\n'));
  const b = 'BOUNDARY42';
  const parts = [`--${b}`, 'Content-Type: text/plain; charset=utf-8', '', opts.body];
  if (opts.html) parts.push(`--${b}`, 'Content-Type: text/html; charset=utf-8', '', opts.html);
  if (opts.attachment) {
    parts.push(`--${b}`, `Content-Type: application/octet-stream; name="${opts.attachment.name}"`, `Content-Disposition: attachment; filename="${opts.attachment.name}"`, 'Content-Transfer-Encoding: base64', '', opts.attachment.content.toString('base64').replace(/(.{76})/g, '$1\r\n'));
  }
  parts.push(`--${b}--`, '');
  return Buffer.from([...head, `Content-Type: multipart/mixed; boundary="${b}"`, '', ...parts].join('\r\n'));
}

describe('mail: mailboxes, messages, search, send', () => {
  let h: Harness;
  let ann: { token: string; userId: string; address: string };
  let ben: { token: string; userId: string; address: string };
  const attachment = Buffer.alloc(5000, 7);
  before(async () => {
    h = await startApi();
    ann = await signUp(h, 'ann');
    ben = await signUp(h, 'ben');
    const deliver = async (raw: Buffer, userId: string, internalDate?: Date) =>
      h.store.mail.deliver(await prepareMessage(raw, h.blobs), [{ userId, mailbox: { specialUse: '\\Inbox' } }], internalDate ? { internalDate } : {});
    await deliver(rawMessage({ from: 'Carl <carl@remote.test>', to: ann.address, subject: 'Quarterly report', body: 'The numbers look great this quarter.' }), ann.userId, new Date(Date.UTC(2025, 0, 10)));
    await deliver(rawMessage({ from: 'dora@remote.test', to: ann.address, subject: 'Lunch?', body: 'Pizza on friday', attachment: { name: 'menu.pdf', content: attachment }, html: '<p onclick="x()">Pizza <b>friday</b><script>alert(1)</script></p>' }), ann.userId);
    await deliver(rawMessage({ from: 'carl@remote.test', to: ben.address, subject: 'For Ben only', body: 'secret quarterly stuff' }), ben.userId);
  });
  after(async () => {
    await h.close();
  });

  test('mailboxes with totals and unseen; message page; detail with sanitised HTML and attachment download', async () => {
    const boxes = await call(h.base, 'GET', '/v1/mailboxes', { token: ann.token });
    assert.equal(boxes.status, 200);
    const inbox = boxes.body.find((b: { specialUse: string }) => b.specialUse === '\\Inbox');
    assert.equal(inbox.total, 2);
    assert.equal(inbox.unseen, 2);
    assert.deepEqual(boxes.body.map((b: { path: string }) => b.path).sort(), ['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
    const page = await call(h.base, 'GET', `/v1/mailboxes/${inbox.id}/messages?limit=1`, { token: ann.token });
    assert.equal(page.status, 200);
    assert.equal(page.body.items.length, 1);
    assert.ok(page.body.nextCursor);
    const page2 = await call(h.base, 'GET', `/v1/mailboxes/${inbox.id}/messages?limit=1&cursor=${encodeURIComponent(page.body.nextCursor)}`, { token: ann.token });
    assert.equal(page2.body.items.length, 1);
    assert.notEqual(page2.body.items[0].id, page.body.items[0].id);
    // Ben cannot list Ann's inbox.
    assert.equal((await call(h.base, 'GET', `/v1/mailboxes/${inbox.id}/messages`, { token: ben.token })).status, 404);

    const lunch = [...page.body.items, ...page2.body.items].find((m: { subject: string }) => m.subject === 'Lunch?');
    const d = await call(h.base, 'GET', `/v1/messages/${lunch.id}`, { token: ann.token });
    assert.equal(d.status, 200);
    assert.match(d.body.text, /Pizza on friday/);
    assert.match(d.body.html, /<b>friday<\/b>/);
    assert.doesNotMatch(d.body.html, /script|onclick/);
    assert.equal(d.body.attachments[0].filename, 'menu.pdf');
    const dl = await fetch(`${h.base}/v1/messages/${lunch.id}/attachments/0`, { headers: { authorization: `Bearer ${ann.token}` } });
    assert.equal(dl.status, 200);
    assert.match(dl.headers.get('content-disposition') ?? '', /menu\.pdf/);
    assert.deepEqual(Buffer.from(await dl.arrayBuffer()), attachment);
    assert.equal((await call(h.base, 'GET', `/v1/messages/${lunch.id}`, { token: ben.token })).status, 404);
    assert.equal((await call(h.base, 'GET', `/v1/messages/${lunch.id}/attachments/5`, { token: ann.token })).status, 404);

    // Flag and move.
    const f = await call(h.base, 'PATCH', `/v1/messages/${lunch.id}`, { token: ann.token, body: { seen: true, flagged: true } });
    assert.equal(f.status, 200);
    assert.equal(f.body.unread, false);
    assert.equal(f.body.starred, true);
    const archive = boxes.body.find((b: { specialUse: string }) => b.specialUse === '\\Archive');
    const mv = await call(h.base, 'PATCH', `/v1/messages/${lunch.id}`, { token: ann.token, body: { mailboxId: archive.id } });
    assert.equal(mv.status, 200);
    assert.equal(mv.body.mailboxId, archive.id);
    const benInbox = (await call(h.base, 'GET', '/v1/mailboxes', { token: ben.token })).body.find((b: { specialUse: string }) => b.specialUse === '\\Inbox');
    assert.equal((await call(h.base, 'PATCH', `/v1/messages/${mv.body.id}`, { token: ann.token, body: { mailboxId: benInbox.id } })).status, 404);
  });

  test('Gmail-style search', async () => {
    const s = async (q: string) => {
      const r = await call(h.base, 'GET', `/v1/search?q=${encodeURIComponent(q)}`, { token: ann.token });
      assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
      return (r.body.items as Array<{ subject: string }>).map((m) => m.subject).sort();
    };
    assert.deepEqual(await s('quarter'), ['Quarterly report']);
    assert.deepEqual(await s('from:carl'), ['Quarterly report']);
    assert.deepEqual(await s('subject:lunch'), ['Lunch?']);
    assert.deepEqual(await s('has:attachment'), ['Lunch?']);
    assert.deepEqual(await s('quarterly OR pizza'), ['Lunch?', 'Quarterly report']);
    assert.deepEqual(await s('-pizza'), ['Quarterly report']);
    assert.deepEqual(await s('before:2025/02/01'), ['Quarterly report']);
    assert.deepEqual(await s('newer_than:7d'), ['Lunch?']);
    assert.deepEqual(await s('is:unread'), ['Quarterly report']);
    assert.deepEqual(await s('is:starred'), ['Lunch?']);
    assert.deepEqual(await s('in:archive'), ['Lunch?']);
    assert.deepEqual(await s('in:inbox'), ['Quarterly report']);
    assert.deepEqual(await s('larger:3K'), ['Lunch?']);
    assert.deepEqual(await s('secret'), []);
    for (const q of ['"unterminated', "'; DROP TABLE messages; --", 'NEAR(a b)', '*', 'a\u0000b', '<script>alert(1)</script>']) {
      const r = await call(h.base, 'GET', `/v1/search?q=${encodeURIComponent(q)}`, { token: ann.token });
      assert.ok(r.status === 200 || r.status === 400, `${q}: ${r.status}`);
      if (r.status === 400) assert.equal(r.body.error.code, 'invalid_query');
    }
    const bad = await call(h.base, 'GET', `/v1/search?q=${encodeURIComponent('larger:huge')}`, { token: ann.token });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_query');
    assert.equal((await call(h.base, 'GET', '/v1/search?q=x&limit=0', { token: ann.token })).status, 400);
    assert.equal((await call(h.base, 'GET', '/v1/search?q=x&cursor=%00garbage', { token: ann.token })).status, 400);
  });

  test('send to a person and to a group: delivered locally, Sent copy with signature; remote is 422', async () => {
    await call(h.base, 'PUT', '/v1/me/preferences', { token: ann.token, body: { signature: 'Ann from Heron' } });
    const r = await call(h.base, 'POST', '/v1/messages/send', { token: ann.token, body: { to: [ben.address], subject: 'Hello Ben', text: 'Meet at noon?' } });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.match(r.body.messageId, /^<.+@example\.test>$/);
    const found = await call(h.base, 'GET', `/v1/search?q=${encodeURIComponent('subject:"Hello Ben"')}`, { token: ben.token });
    assert.equal(found.body.items.length, 1);
    const msg = await call(h.base, 'GET', `/v1/messages/${found.body.items[0].id}`, { token: ben.token });
    assert.match(msg.body.text, /Meet at noon\?\s+-- \r?\nAnn from Heron/);
    assert.match(msg.body.headers.from, /ann@example\.test/);
    const sent = await call(h.base, 'GET', `/v1/search?q=${encodeURIComponent('in:sent')}`, { token: ann.token });
    assert.equal(sent.body.items.length, 1);

    const c = (await call(h.base, 'POST', '/v1/contacts', { token: ann.token, body: { name: 'Ben', email: ben.address } })).body;
    const g = (await call(h.base, 'POST', '/v1/groups', { token: ann.token, body: { name: 'Friends', contactIds: [c.id] } })).body;
    const rg = await call(h.base, 'POST', '/v1/messages/send', { token: ann.token, body: { groupIds: [g.id], subject: 'Group hello', text: 'Hi all' } });
    assert.equal(rg.status, 202);
    assert.equal((await call(h.base, 'GET', `/v1/search?q=${encodeURIComponent('subject:"Group hello"')}`, { token: ben.token })).body.items.length, 1);

    const remote = await call(h.base, 'POST', '/v1/messages/send', { token: ann.token, body: { to: ['someone@remote.test'], subject: 'x', text: 'y' } });
    assert.equal(remote.status, 422);
    assert.equal(remote.body.error.code, 'remote_delivery_unavailable');
    const unknown = await call(h.base, 'POST', '/v1/messages/send', { token: ann.token, body: { to: ['nobody@example.test'], subject: 'x', text: 'y' } });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.code, 'unknown_recipient');
    const none = await call(h.base, 'POST', '/v1/messages/send', { token: ann.token, body: { subject: 'x', text: 'y' } });
    assert.equal(none.status, 400);
    assert.equal(none.body.error.code, 'no_recipients');
    assert.equal((await call(h.base, 'POST', '/v1/messages/send', { token: ben.token, body: { groupIds: [g.id], text: 'x' } })).status, 404);
  });
});
