import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteBackend } from '../../store/sqlite/backend.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { createSearchTextExtractor } from '../../mail/mime/index.js';
import { makeMessage } from './fixtures.js';

// Migrations after format 2 fill what they add for the messages already stored (format 1 data
// is covered by format1-upgrade.test.ts).

test('migration 4 fills content_fields for contents stored before it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-migrate-'));
  const open = () => openSqliteBackend({ dataDir: dir, notifier: createMemoryNotifier(), textExtractor: createSearchTextExtractor() });
  try {
    let store = await open();
    await store.users.addDomain('example.test');
    const u = await store.users.createUser({ username: 'mig', address: 'mig@example.test', password: 'pw' });
    const inbox = (await store.mail.getMailbox(u.id, 'INBOX'))!;
    await store.mail.append(u.id, inbox.id, await makeMessage(store.blobs, { subject: 'Migrated Subject', from: 'Zoë <zoe@remote.test>', attachments: [{ filename: 'plan.pdf', content: 'x' }] }));
    // Back to version 3, as a data directory written before migration 4 would be.
    store.db.exec("DROP TABLE content_fields; UPDATE schema_versions SET version = 3 WHERE area = 'mail'");
    await store.close();
    store = await open();
    const sub = (field: 'subject' | 'from' | 'filename', value: string) => store.mail.searchUids(inbox.id, { type: 'text', field, value, match: 'substring' });
    assert.deepEqual(await sub('subject', 'ted subj'), [1]);
    assert.deepEqual(await sub('from', 'ZOE <ZOE@'), [1]);
    assert.deepEqual(await sub('filename', 'an.pd'), [1]);
    await store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
