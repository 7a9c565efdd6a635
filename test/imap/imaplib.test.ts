import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startHarness, PASSWORD, type Harness } from './harness.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./imaplib-client.py', import.meta.url));

describe('IMAP with Python imaplib', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.store.users.updateUser(h.alice.id, { quota: 50 * 1024 * 1024 });
  });
  after(async () => {
    await h.close();
  });

  test('STARTTLS, LOGIN, CREATE, APPEND, SELECT, FETCH, SEARCH, STORE, COPY, STATUS, LIST, EXPUNGE, QUOTA', async () => {
    const { stdout } = await run('python3', [script, String(h.port), String(h.securePort), 'alice@example.test', PASSWORD], { timeout: 60_000 });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.ok((out.caps_before_tls as string[]).includes('STARTTLS'));
    assert.ok((out.caps_before_tls as string[]).includes('LOGINDISABLED'));
    assert.equal(out.login_before_tls, 'refused');
    assert.equal(out.login_after_tls, 'OK');
    assert.equal(out.create, 'OK');
    assert.match((out.append as string[])[1]!, /^\[APPENDUID \d+ 1\]/);
    assert.deepEqual(out.select, ['OK', '1']);
    assert.equal(out.fetch_body_equal, true);
    assert.match(out.fetch_meta as string, /FLAGS \(\\Flagged( \\Recent)?\)/);
    assert.equal(out.uid_search, '1');
    assert.equal(out.search_unseen, '1');
    assert.match(out.store as string, /\\Seen/);
    assert.equal(out.copy, 'OK');
    assert.match(out.status as string, /MESSAGES 1/);
    assert.ok((out.list as string[]).some((l) => l.includes('\\Sent') && l.includes('"Sent"')));
    assert.ok((out.list as string[]).some((l) => l.includes('"Py/Sub"')));
    assert.deepEqual(out.expunge, ['OK', ['1']]);
    assert.equal(out.quota, 'OK');
    assert.equal((out.select_missing as string[])[0], 'NO');
    assert.match((out.select_missing as string[])[1]!, /\[NONEXISTENT\]/);
    assert.match(out.namespace as string, /\(\(""/);
  });
});
