import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.js';
import type { ImapFlow } from 'imapflow';

/** Runs a raw command through imapflow's exec and returns the tagged response. */
async function raw(c: ImapFlow, command: string, attributes: unknown[]) {
  const exec = (c as unknown as { exec(cmd: string, attrs: unknown[], opts?: unknown): Promise<{ response: { command: string; attributes: Array<{ section?: Array<{ value: string }>; value?: string }> }; next(): void }> }).exec.bind(c);
  try {
    const r = await exec(command, attributes);
    r.next();
    return { status: r.response.command, code: r.response.attributes?.[0]?.section?.[0]?.value };
  } catch (err) {
    const e = err as { response?: { command: string; attributes?: Array<{ section?: Array<{ value: string }> }> }; serverResponseCode?: string };
    return { status: e.response?.command ?? 'ERR', code: e.serverResponseCode ?? e.response?.attributes?.[0]?.section?.[0]?.value };
  }
}

describe('IMAP mailboxes (imapflow)', () => {
  let h: Harness;
  let c: ImapFlow;
  before(async () => {
    h = await startHarness();
    c = await h.client();
  });
  after(async () => {
    await c.logout().catch(() => undefined);
    await h.close();
  });

  test('LIST shows special-use attributes (RFC 6154)', async () => {
    const list = await c.list();
    const byPath = new Map(list.map((m) => [m.path, m]));
    for (const [path, use] of [['Sent', '\\Sent'], ['Drafts', '\\Drafts'], ['Junk', '\\Junk'], ['Trash', '\\Trash'], ['Archive', '\\Archive']]) {
      assert.equal(byPath.get(path!)?.specialUse, use, path);
    }
    assert.ok(byPath.has('INBOX'));
  });

  test('CREATE nested, RENAME with children, DELETE', async () => {
    await c.mailboxCreate('Projects/Alpha/Notes');
    let paths = (await c.list()).map((m) => m.path);
    assert.ok(paths.includes('Projects'));
    assert.ok(paths.includes('Projects/Alpha'));
    assert.ok(paths.includes('Projects/Alpha/Notes'));
    await c.mailboxRename('Projects', 'Work');
    paths = (await c.list()).map((m) => m.path);
    assert.ok(paths.includes('Work/Alpha/Notes'));
    assert.ok(!paths.some((p) => p.startsWith('Projects')));
    await c.mailboxDelete('Work/Alpha/Notes');
    paths = (await c.list()).map((m) => m.path);
    assert.ok(!paths.includes('Work/Alpha/Notes'));
  });

  test('CREATE existing is NO [ALREADYEXISTS]; DELETE missing is NO [NONEXISTENT]; special-use is NO [CANNOT]', async () => {
    assert.deepEqual(await raw(c, 'CREATE', [{ type: 'ATOM', value: 'Sent' }]), { status: 'NO', code: 'ALREADYEXISTS' });
    assert.deepEqual(await raw(c, 'DELETE', [{ type: 'ATOM', value: 'Nope' }]), { status: 'NO', code: 'NONEXISTENT' });
    assert.deepEqual(await raw(c, 'DELETE', [{ type: 'ATOM', value: 'Trash' }]), { status: 'NO', code: 'CANNOT' });
    assert.deepEqual(await raw(c, 'DELETE', [{ type: 'ATOM', value: 'INBOX' }]), { status: 'NO', code: 'CANNOT' });
    assert.deepEqual(await raw(c, 'SELECT', [{ type: 'ATOM', value: 'Nope' }]), { status: 'NO', code: 'NONEXISTENT' });
    assert.deepEqual(await raw(c, 'RENAME', [{ type: 'ATOM', value: 'Nope' }, { type: 'ATOM', value: 'Other' }]), { status: 'NO', code: 'NONEXISTENT' });
  });

  test('SUBSCRIBE / UNSUBSCRIBE / LSUB', async () => {
    await c.mailboxCreate('Lists');
    await c.mailboxUnsubscribe('Lists');
    let subs = (await c.list()).filter((m) => m.subscribed).map((m) => m.path);
    assert.ok(!subs.includes('Lists'));
    await c.mailboxSubscribe('Lists');
    subs = (await c.list()).filter((m) => m.subscribed).map((m) => m.path);
    assert.ok(subs.includes('Lists'));
    // A name may be subscribed before it exists (RFC 3501 6.3.6); LIST-EXTENDED marks it \NonExistent (RFC 5258).
    assert.deepEqual(await raw(c, 'SUBSCRIBE', [{ type: 'ATOM', value: 'Missing' }]), { status: 'OK', code: undefined });
    const missing = (await c.list({ statusQuery: undefined } as never)).find((m) => m.path === 'Missing');
    assert.equal(missing, undefined, 'a plain LIST does not show a subscription without a mailbox');
  });

  test('STATUS and SELECT report counts, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ', async () => {
    await c.mailboxCreate('Stat');
    await c.append('Stat', 'Subject: one\r\n\r\nbody\r\n', []);
    await c.append('Stat', 'Subject: two\r\n\r\nbody\r\n', ['\\Seen']);
    const st = await c.status('Stat', { messages: true, unseen: true, uidNext: true, uidValidity: true, highestModseq: true });
    assert.ok(st);
    assert.equal(st.messages, 2);
    assert.equal(st.unseen, 1);
    assert.equal(st.uidNext, 3);
    assert.ok(Number(st.uidValidity) > 0);
    assert.ok(Number(st.highestModseq) > 0);
    const box = await c.mailboxOpen('Stat');
    assert.equal(box.exists, 2);
    assert.equal(Number(box.uidValidity), Number(st.uidValidity));
    await c.mailboxClose();
  });

  test('GETQUOTAROOT reports usage when the account has a quota; unlimited has no root', async () => {
    const none = await c.getQuota('INBOX');
    assert.ok(!none || !none.storage, 'no STORAGE quota for an unlimited account');
    await h.store.users.updateUser(h.alice.id, { quota: 10 * 1024 * 1024 });
    const q = await c.getQuota('INBOX');
    assert.ok(q && q.storage);
    assert.equal(q.storage.limit, 10 * 1024 * 1024);
    assert.ok((q.storage as { usage?: number }).usage! >= 0);
    await h.store.users.updateUser(h.alice.id, { quota: 0 });
  });
});
