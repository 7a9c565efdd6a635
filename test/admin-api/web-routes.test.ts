import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, call, signUp, login, type Harness, type Reply } from './helpers.js';

/** The routes the web app uses beyond CONTRACT.md: cookie session, sessions, conversations, drafts, batch actions, events, message frame, labels. */

type User = { token: string; userId: string; address: string; phone: string };

function cookieOf(r: Reply): string {
  const set = r.headers.getSetCookie().find((c) => c.startsWith('heron_session='));
  assert.ok(set, 'a session cookie is set');
  return set.split(';')[0]!;
}

async function boxes(h: Harness, u: User): Promise<Record<string, string>> {
  const r = await call(h.base, 'GET', '/v1/mailboxes', { token: u.token });
  return Object.fromEntries(r.body.map((b: { specialUse: string | null; path: string; id: string }) => [b.specialUse ?? b.path, b.id]));
}

async function send(h: Harness, from: User, body: Record<string, unknown>): Promise<void> {
  const r = await call(h.base, 'POST', '/v1/messages/send', { token: from.token, body });
  assert.equal(r.status, 202, JSON.stringify(r.body));
}

describe('web app routes', () => {
  let h: Harness;
  let ann: User;
  let ben: User;
  before(async () => {
    h = await startApi({ maxUploadBytes: 64 * 1024 });
    ann = await signUp(h, 'ann');
    ben = await signUp(h, 'ben');
  });
  after(async () => {
    await h.close();
  });

  test('cookie session: HttpOnly SameSite=Strict cookie, CSRF on unsafe methods, logout revokes server-side', async () => {
    const start = await call(h.base, 'POST', '/v1/session', { token: ann.token });
    assert.equal(start.status, 200);
    const setCookie = start.headers.getSetCookie().join('\n');
    assert.match(setCookie, /heron_session=[^;]+;.*httponly/i);
    assert.match(setCookie, /samesite=strict/i);
    assert.match(setCookie, /path=\//i);
    const cookie = cookieOf(start);
    const csrf = start.body.csrfToken as string;
    assert.equal(start.body.profile.address, ann.address);

    const again = await call(h.base, 'GET', '/v1/session', { headers: { cookie } });
    assert.equal(again.status, 200);
    assert.equal(again.body.csrfToken, csrf);

    const forged = await call(h.base, 'POST', '/v1/contacts', { headers: { cookie }, body: { name: 'X', email: 'x@remote.test' } });
    assert.equal(forged.status, 403);
    assert.equal(forged.body.error.code, 'csrf_failed');
    const ok = await call(h.base, 'POST', '/v1/contacts', { headers: { cookie, 'x-csrf-token': csrf }, body: { name: 'X', email: 'x@remote.test' } });
    assert.equal(ok.status, 201);

    const out = await call(h.base, 'DELETE', '/v1/session', { headers: { cookie, 'x-csrf-token': csrf } });
    assert.equal(out.status, 204);
    assert.match(out.headers.getSetCookie().join('\n'), /heron_session=;.*expires=Thu, 01 Jan 1970/i);
    // The old cookie (and the bearer token it carried) are refused from now on.
    assert.equal((await call(h.base, 'GET', '/v1/me/profile', { headers: { cookie } })).status, 401);
    const bearer = await call(h.base, 'GET', '/v1/me/profile', { token: ann.token });
    assert.equal(bearer.status, 401);
    assert.equal(bearer.body.error.code, 'unauthorized');
    ann.token = await login(h, 'ann', 'correct horse battery', ann.phone);
    // Logging out without a session still clears the cookie.
    assert.equal((await call(h.base, 'DELETE', '/v1/session')).status, 204);
  });

  test('sessions: list with the current one marked, end one, end all others', async () => {
    const second = await login(h, 'ben', 'correct horse battery', ben.phone);
    const third = await login(h, 'ben', 'correct horse battery', ben.phone);
    const list = await call(h.base, 'GET', '/v1/me/sessions', { token: ben.token });
    assert.equal(list.status, 200);
    assert.ok(list.body.length >= 3);
    assert.equal(list.body.filter((s: { current: boolean }) => s.current).length, 1);
    const other = list.body.find((s: { current: boolean }) => !s.current);
    // Ann cannot end Ben's session.
    assert.equal((await call(h.base, 'DELETE', `/v1/me/sessions/${other.id}`, { token: ann.token })).status, 404);
    assert.equal((await call(h.base, 'DELETE', `/v1/me/sessions/${other.id}`, { token: ben.token })).status, 204);
    const rest = await call(h.base, 'POST', '/v1/me/sessions/revoke-others', { token: ben.token });
    assert.equal(rest.status, 200);
    assert.ok(rest.body.revoked >= 1);
    assert.equal((await call(h.base, 'GET', '/v1/me/profile', { token: second })).status, 401);
    assert.equal((await call(h.base, 'GET', '/v1/me/profile', { token: third })).status, 401);
    assert.equal((await call(h.base, 'GET', '/v1/me/profile', { token: ben.token })).status, 200);
    assert.equal((await call(h.base, 'DELETE', '/v1/me/sessions/nope', { token: ben.token })).status, 404);
  });

  test('conversations: one row per thread across pages, thread across mailboxes, batch actions with undo', async () => {
    const annBoxes = await boxes(h, ann);
    for (const s of ['one', 'two', 'three']) await send(h, ben, { to: [ann.address], subject: `Single ${s}`, text: `single ${s}` });
    await send(h, ben, { to: [ann.address], subject: 'Plans', text: 'first' });
    const page0 = await call(h.base, 'GET', `/v1/mailboxes/${annBoxes['\\Inbox']}/conversations?limit=10`, { token: ann.token });
    const plans = page0.body.items.find((c: { latest: { subject: string } }) => c.latest.subject === 'Plans');
    // Ann answers through a draft (threaded by In-Reply-To), Ben answers that: two Plans messages in Ann's inbox.
    const draft = await call(h.base, 'POST', '/v1/drafts', { token: ann.token, body: { to: [ben.address], subject: 'Re: Plans', text: 'second', inReplyTo: plans.latest.id } });
    assert.equal(draft.status, 201, JSON.stringify(draft.body));
    assert.equal((await call(h.base, 'POST', `/v1/drafts/${draft.body.id}/send`, { token: ann.token, body: { to: [ben.address], subject: 'Re: Plans', text: 'second' } })).status, 202);
    const benInbox = (await boxes(h, ben))['\\Inbox'];
    const benPage = await call(h.base, 'GET', `/v1/mailboxes/${benInbox}/conversations`, { token: ben.token });
    const reply = benPage.body.items.find((c: { latest: { subject: string } }) => c.latest.subject === 'Re: Plans');
    const d2 = await call(h.base, 'POST', '/v1/drafts', { token: ben.token, body: { to: [ann.address], subject: 'Re: Plans', text: 'third', inReplyTo: reply.latest.id } });
    assert.equal((await call(h.base, 'POST', `/v1/drafts/${d2.body.id}/send`, { token: ben.token, body: { to: [ann.address], subject: 'Re: Plans', text: 'third' } })).status, 202);

    // Page through 2 rows at a time: every conversation once, the Plans thread counted twice here.
    const seen: string[] = [];
    let cursor: string | null = null;
    let planRow: { count: number; threadId: string; messageIds: string[]; unreadCount: number } | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const r = await call(h.base, 'GET', `/v1/mailboxes/${annBoxes['\\Inbox']}/conversations?limit=2${q}`, { token: ann.token });
      assert.equal(r.status, 200);
      assert.ok(r.body.items.length <= 2);
      for (const c of r.body.items) {
        seen.push(c.threadId);
        if (/Plans/.test(c.latest.subject)) planRow = c;
      }
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    assert.equal(new Set(seen).size, seen.length, 'no conversation twice');
    // The inbox by name (the page asks before it knows the id); other names are not aliases.
    const byName = await call(h.base, 'GET', '/v1/mailboxes/inbox/conversations?limit=50', { token: ann.token });
    assert.deepEqual(byName.body.items.map((c: { threadId: string }) => c.threadId), seen);
    assert.equal((await call(h.base, 'GET', '/v1/mailboxes/constructor/conversations', { token: ann.token })).status, 404);
    assert.equal(seen.length, 4);
    assert.ok(planRow);
    assert.equal(planRow.count, 2);
    assert.equal(planRow.unreadCount, 2);
    assert.equal(planRow.messageIds.length, 2);

    // The thread view adds Ann's Sent reply; summaries only.
    const thread = await call(h.base, 'GET', `/v1/threads/${encodeURIComponent(planRow.threadId)}`, { token: ann.token });
    assert.equal(thread.status, 200);
    assert.deepEqual(thread.body.messages.map((m: { snippet: string }) => m.snippet), ['first', 'second', 'third']);
    assert.equal(thread.body.messages[1].mailboxId, annBoxes['\\Sent']);
    // Ben sees only his own copies, whatever the thread id.
    const benBoxes = new Set(Object.values(await boxes(h, ben)));
    const benView = await call(h.base, 'GET', `/v1/threads/${encodeURIComponent(planRow.threadId)}`, { token: ben.token });
    for (const m of benView.status === 200 ? benView.body.messages : []) assert.ok(benBoxes.has(m.mailboxId));
    assert.equal((await call(h.base, 'GET', '/v1/threads/999999999', { token: ann.token })).status, 404);

    // Archive the conversation, then undo with the answered moves.
    const arch = await call(h.base, 'POST', '/v1/messages/batch', { token: ann.token, body: { ids: planRow.messageIds, mailboxId: annBoxes['\\Archive'] } });
    assert.equal(arch.status, 200);
    assert.equal(arch.body.moves.length, 2);
    assert.ok(arch.body.moves.every((m: { fromMailboxId: string }) => m.fromMailboxId === annBoxes['\\Inbox']));
    const inboxAfter = await call(h.base, 'GET', `/v1/mailboxes/${annBoxes['\\Inbox']}/conversations`, { token: ann.token });
    assert.equal(inboxAfter.body.items.length, 3);
    const undo = await call(h.base, 'POST', '/v1/messages/batch', { token: ann.token, body: { ids: arch.body.moves.map((m: { to: string }) => m.to), mailboxId: annBoxes['\\Inbox'] } });
    assert.equal(undo.status, 200);
    const back = await call(h.base, 'GET', `/v1/mailboxes/${annBoxes['\\Inbox']}/conversations`, { token: ann.token });
    const row = back.body.items.find((c: { threadId: string }) => c.threadId === planRow!.threadId);
    assert.equal(row.count, 2);

    // Read and star the whole conversation; another user's ids change nothing.
    const marked = await call(h.base, 'POST', '/v1/messages/batch', { token: ann.token, body: { ids: row.messageIds, seen: true, flagged: true } });
    assert.ok(marked.body.items.every((m: { unread: boolean; starred: boolean }) => !m.unread && m.starred));
    const foreign = await call(h.base, 'POST', '/v1/messages/batch', { token: ben.token, body: { ids: row.messageIds, seen: false } });
    assert.deepEqual(foreign.body.items, []);

    // Delete forever.
    const gone = await call(h.base, 'POST', '/v1/messages/delete', { token: ann.token, body: { ids: [row.messageIds[0]] } });
    assert.equal(gone.status, 200);
    assert.equal((await call(h.base, 'GET', `/v1/messages/${row.messageIds[0]}`, { token: ann.token })).status, 404);
    assert.equal((await call(h.base, 'POST', '/v1/messages/batch', { token: ann.token, body: { ids: [] } })).status, 400);
    assert.equal((await call(h.base, 'GET', `/v1/mailboxes/${annBoxes['\\Inbox']}/conversations?limit=1000`, { token: ann.token })).status, 400);
    assert.equal((await call(h.base, 'GET', `/v1/mailboxes/${annBoxes['\\Inbox']}/conversations`, { token: ben.token })).status, 404);
  });

  test('drafts: saved in Drafts, attachments uploaded raw, sent with threading, never touching other mail', async () => {
    const annBoxes = await boxes(h, ann);
    const created = await call(h.base, 'POST', '/v1/drafts', { token: ann.token, body: { to: [ben.address], subject: 'Draft one', text: 'hello' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.mailboxId, annBoxes['\\Drafts']);
    const saved = await call(h.base, 'PUT', `/v1/drafts/${created.body.id}`, { token: ann.token, body: { to: [ben.address], cc: [ann.address], subject: 'Draft one', text: 'hello again' } });
    assert.equal(saved.status, 200);
    assert.notEqual(saved.body.id, created.body.id);
    assert.equal((await call(h.base, 'GET', `/v1/drafts/${created.body.id}`, { token: ann.token })).status, 404);

    const file = Buffer.from('col1,col2\n1,2\n');
    const up = await fetch(`${h.base}/v1/drafts/${saved.body.id}/attachments?filename=${encodeURIComponent('data é.csv')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ann.token}`, 'content-type': 'text/csv' },
      body: file,
    });
    assert.equal(up.status, 201);
    const withFile = (await up.json()) as { id: string; attachments: Array<{ filename: string; contentType: string }> };
    assert.deepEqual(withFile.attachments.map((a) => [a.filename, a.contentType]), [['data é.csv', 'text/csv']]);
    const reread = await call(h.base, 'GET', `/v1/drafts/${withFile.id}`, { token: ann.token });
    assert.equal(reread.body.text.trim(), 'hello again');
    assert.deepEqual(reread.body.cc, [ann.address]);
    assert.equal(reread.body.attachments.length, 1);

    const tooBig = await fetch(`${h.base}/v1/drafts/${withFile.id}/attachments?filename=big.bin`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ann.token}`, 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(65 * 1024),
    });
    assert.equal(tooBig.status, 413);
    assert.equal(((await tooBig.json()) as { error: { code: string } }).error.code, 'payload_too_large');
    const noName = await fetch(`${h.base}/v1/drafts/${withFile.id}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${ann.token}`, 'content-type': 'text/plain' }, body: 'x' });
    assert.equal(noName.status, 400);

    // A draft route never touches a message outside Drafts.
    const inboxMsg = (await call(h.base, 'GET', `/v1/mailboxes/${annBoxes['\\Inbox']}/messages`, { token: ann.token })).body.items[0];
    assert.equal((await call(h.base, 'PUT', `/v1/drafts/${inboxMsg.id}`, { token: ann.token, body: { text: 'x' } })).status, 404);
    assert.equal((await call(h.base, 'DELETE', `/v1/drafts/${inboxMsg.id}`, { token: ann.token })).status, 404);
    assert.equal((await call(h.base, 'GET', `/v1/messages/${inboxMsg.id}`, { token: ann.token })).status, 200);
    assert.equal((await call(h.base, 'GET', `/v1/drafts/${withFile.id}`, { token: ben.token })).status, 404);

    const sent = await call(h.base, 'POST', `/v1/drafts/${withFile.id}/send`, { token: ann.token, body: { to: [ben.address], subject: 'Draft one', text: 'final words' } });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    assert.equal((await call(h.base, 'GET', `/v1/drafts/${withFile.id}`, { token: ann.token })).status, 404);
    const hits = await call(h.base, 'GET', `/v1/search?q=${encodeURIComponent('subject:"Draft one" has:attachment')}`, { token: ben.token });
    assert.equal(hits.body.items.length, 1);
    const got = await call(h.base, 'GET', `/v1/messages/${hits.body.items[0].id}`, { token: ben.token });
    assert.match(got.body.text, /final words/);
    assert.equal(got.body.attachments[0].filename, 'data é.csv');
    const dl = await fetch(`${h.base}/v1/messages/${hits.body.items[0].id}/attachments/0`, { headers: { authorization: `Bearer ${ben.token}` } });
    assert.deepEqual(Buffer.from(await dl.arrayBuffer()), file);

    // A forward starts with the original's attachments.
    const fwd = await call(h.base, 'POST', '/v1/drafts', { token: ben.token, body: { subject: 'Fwd: Draft one', forwardOf: hits.body.items[0].id } });
    assert.equal(fwd.status, 201);
    assert.deepEqual(fwd.body.attachments.map((a: { filename: string }) => a.filename), ['data é.csv']);
    assert.equal((await call(h.base, 'POST', '/v1/drafts', { token: ann.token, body: { forwardOf: hits.body.items[0].id } })).status, 404);
    assert.equal((await call(h.base, 'DELETE', `/v1/drafts/${fwd.body.id}`, { token: ben.token })).status, 204);

    const discard = await call(h.base, 'POST', '/v1/drafts', { token: ann.token, body: { subject: 'to be discarded' } });
    assert.equal((await call(h.base, 'DELETE', `/v1/drafts/${discard.body.id}`, { token: ann.token })).status, 204);
    assert.equal((await call(h.base, 'POST', '/v1/drafts', { token: ann.token, body: { to: ['not an address'] } })).status, 400);
    assert.equal((await call(h.base, 'POST', '/v1/drafts', { token: ann.token, body: { inReplyTo: 'x'.repeat(65) } })).status, 400);
  });

  test('events: a change in a mailbox reaches the open stream', async () => {
    const annBoxes = await boxes(h, ann);
    const ac = new AbortController();
    const res = await fetch(`${h.base}/v1/events`, { headers: { authorization: `Bearer ${ann.token}` }, signal: ac.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const until = async (re: RegExp) => {
      const deadline = Date.now() + 10_000;
      while (!re.test(text) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString();
      }
      return re.test(text);
    };
    assert.ok(await until(/event: ready/));
    await send(h, ben, { to: [ann.address], subject: 'Ping', text: 'ping' });
    assert.ok(await until(/event: change\ndata: \{[^\n]*\}\n\n/));
    const data = JSON.parse(/event: change\ndata: (\{[^\n]*\})/.exec(text)![1]!) as { mailboxId: string; kinds: string[] };
    assert.equal(data.mailboxId, annBoxes['\\Inbox']);
    assert.ok(data.kinds.includes('exists'));
    ac.abort();
    assert.equal((await call(h.base, 'GET', '/v1/events')).status, 401);
  });

  test('message frame: its own document, script-free CSP, remote images only when allowed', async () => {
    await send(h, ben, {
      to: [ann.address],
      subject: 'Styled',
      text: 'plain',
      html: '<p style="color:red" onclick="evil()">Hi <img src="https://tracker.example/p.gif"><script>evil()</script><a href="javascript:evil()">x</a></p>',
    });
    const hit = (await call(h.base, 'GET', '/v1/search?q=subject:Styled', { token: ann.token })).body.items[0];
    const res = await fetch(`${h.base}/v1/messages/${hit.id}/frame`, { headers: { authorization: `Bearer ${ann.token}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox/);
    assert.doesNotMatch(csp, /allow-scripts|script-src/);
    assert.doesNotMatch(csp, /https:/);
    assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
    const html = await res.text();
    assert.match(html, /Hi/);
    assert.doesNotMatch(html, /<script|onclick|javascript:|\ssrc="https:\/\/tracker/i);
    const allowed = await fetch(`${h.base}/v1/messages/${hit.id}/frame?images=allow`, { headers: { authorization: `Bearer ${ann.token}` } });
    assert.match(allowed.headers.get('content-security-policy') ?? '', /img-src 'self' data: https: http:/);
    assert.match(await allowed.text(), /tracker\.example\/p\.gif/);
    assert.equal((await fetch(`${h.base}/v1/messages/${hit.id}/frame`, { headers: { authorization: `Bearer ${ben.token}` } })).status, 404);
    assert.equal((await fetch(`${h.base}/v1/messages/${hit.id}/frame?images=maybe`, { headers: { authorization: `Bearer ${ann.token}` } })).status, 400);
  });

  test('hostile input: header injection, bad cursors, oversized and chunked uploads, stream floods, junk ids', async () => {
    const annBoxes = await boxes(h, ann);
    const inject = await call(h.base, 'POST', '/v1/drafts', { token: ann.token, body: { to: [ben.address], subject: 'Hi\r\nBcc: victim@remote.test' } });
    assert.equal(inject.status, 400);
    assert.equal(inject.body.error.code, 'invalid_request');
    assert.equal((await call(h.base, 'POST', '/v1/drafts', { token: ann.token, body: { to: ['a@b.test\r\nBcc: x@y.test'] } })).status, 400);
    assert.equal((await call(h.base, 'POST', '/v1/drafts', { token: ann.token, raw: '{"to": [' })).status, 400);
    const badCursor = await call(h.base, 'GET', `/v1/mailboxes/${annBoxes['\\Inbox']}/conversations?cursor=${'%FF'.repeat(40)}`, { token: ann.token });
    assert.equal(badCursor.status, 400);
    assert.equal((await call(h.base, 'GET', `/v1/mailboxes/${annBoxes['\\Inbox']}/conversations?limit=0`, { token: ann.token })).status, 400);
    assert.equal((await call(h.base, 'GET', `/v1/threads/${'x'.repeat(200)}`, { token: ann.token })).status, 404);
    assert.equal((await call(h.base, 'GET', '/v1/threads/..%2F..%2Fetc', { token: ann.token })).status, 404);
    assert.equal((await call(h.base, 'GET', '/v1/messages/%3Cscript%3E/frame', { token: ann.token })).status, 404);
    assert.equal((await call(h.base, 'POST', '/v1/messages/batch', { token: ann.token, body: { ids: Array.from({ length: 501 }, (_, i) => String(i)) } })).status, 400);
    assert.equal((await call(h.base, 'POST', '/v1/messages/batch', { token: ann.token, body: { ids: [{ $gt: '' }] } })).status, 400);
    assert.equal((await call(h.base, 'POST', '/v1/session')).status, 401);

    // An upload without Content-Length (chunked) past the cap is cut at the cap, not buffered.
    const d = await call(h.base, 'POST', '/v1/drafts', { token: ann.token, body: { subject: 'chunked' } });
    const chunks = (async function* () {
      for (let i = 0; i < 40; i++) yield new Uint8Array(8 * 1024);
    })();
    const chunked = await fetch(`${h.base}/v1/drafts/${d.body.id}/attachments?filename=big.bin`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ann.token}`, 'content-type': 'application/octet-stream' },
      body: chunks as unknown as RequestInit['body'],
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    const ctrl = await fetch(`${h.base}/v1/drafts/${d.body.id}/attachments?filename=${encodeURIComponent('a\u0000b')}`, { method: 'POST', headers: { authorization: `Bearer ${ann.token}`, 'content-type': 'text/plain' }, body: 'x' });
    assert.equal(ctrl.status, 400);
    const weird = await fetch(`${h.base}/v1/drafts/${d.body.id}/attachments?filename=${encodeURIComponent('../../etc/passwd')}`, { method: 'POST', headers: { authorization: `Bearer ${ann.token}`, 'content-type': 'text/html; charset=utf-8"><script>' }, body: 'x' });
    assert.equal(weird.status, 201);
    const stored = (await weird.json()) as { attachments: Array<{ filename: string; contentType: string }> };
    assert.equal(stored.attachments[0]!.contentType, 'text/html');

    // At most 20 open event streams per user; the 21st is refused, the others keep working.
    const aborts: AbortController[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const ac = new AbortController();
        aborts.push(ac);
        assert.equal((await fetch(`${h.base}/v1/events`, { headers: { authorization: `Bearer ${ben.token}` }, signal: ac.signal })).status, 200);
      }
      const over = await call(h.base, 'GET', '/v1/events', { token: ben.token });
      assert.equal(over.status, 429);
      assert.equal(over.body.error.code, 'too_many_streams');
    } finally {
      for (const ac of aborts) ac.abort();
    }
    await new Promise((r) => setTimeout(r, 200));
    const again = new AbortController();
    assert.equal((await fetch(`${h.base}/v1/events`, { headers: { authorization: `Bearer ${ben.token}` }, signal: again.signal })).status, 200);
    again.abort();
  });

  test('the OpenAPI document describes the web routes, uploads and streams included', async () => {
    const doc = (await call(h.base, 'GET', '/v1/openapi.json')).body;
    for (const p of ['/v1/session', '/v1/me/sessions', '/v1/me/sessions/{id}', '/v1/mailboxes/{id}/conversations', '/v1/threads/{threadId}', '/v1/messages/batch', '/v1/messages/delete', '/v1/drafts', '/v1/drafts/{id}', '/v1/drafts/{id}/send', '/v1/events', '/v1/messages/{id}/frame']) {
      assert.ok(doc.paths[p], `${p} documented`);
    }
    assert.equal(doc.paths['/v1/drafts/{id}/attachments'].post.requestBody.content['*/*'].schema.format, 'binary');
    assert.ok(doc.paths['/v1/events'].get.responses['200'].content['text/event-stream']);
    assert.ok(doc.paths['/v1/messages/{id}/frame'].get.responses['200'].content['text/html']);
    assert.ok(doc.paths['/v1/session'].post.responses['200'].content['application/json'].schema.properties.csrfToken);
  });

  test('labels: create and delete own mailboxes, not the system ones', async () => {
    const made = await call(h.base, 'POST', '/v1/mailboxes', { token: ann.token, body: { path: 'Projects' } });
    assert.equal(made.status, 201);
    assert.equal((await call(h.base, 'POST', '/v1/mailboxes', { token: ann.token, body: { path: 'Projects' } })).status, 409);
    assert.equal((await call(h.base, 'POST', '/v1/mailboxes', { token: ann.token, body: { path: 'a/../%' } })).status, 400);
    const annBoxes = await boxes(h, ann);
    const refused = await call(h.base, 'DELETE', `/v1/mailboxes/${annBoxes['\\Inbox']}`, { token: ann.token });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'cannot_delete');
    assert.equal((await call(h.base, 'DELETE', `/v1/mailboxes/${made.body.id}`, { token: ben.token })).status, 404);
    assert.equal((await call(h.base, 'DELETE', `/v1/mailboxes/${made.body.id}`, { token: ann.token })).status, 204);
  });
});
