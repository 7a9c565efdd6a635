import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createInboxNotifier } from '../../auth/index.js';
import { prepareMessage } from '../../mail/mime/index.js';
import { startApi } from '../admin-api/helpers.js';

/** Locks are told to the user as a message in their INBOX (free, unlike an SMS an attacker could trigger). */
test('a security notice lands in the INBOX and names the address the attack came from', async () => {
  const h = await startApi();
  try {
    const user = await h.store.users.createUser({ username: 'vic', address: 'vic@example.test', password: 'vic-password', verified: true });
    const notifier = createInboxNotifier({ mail: h.store.mail, blobs: h.blobs, prepareMessage: (raw, blobs) => prepareMessage(raw, blobs), hostname: 'mx.example.test', logger: pino({ level: 'silent' }) });
    await notifier.notify(user, { kind: 'second_factor_locked', ip: '203.0.113.9', until: new Date(Date.now() + 3_600_000) });
    const inbox = await h.store.mail.getSpecialMailbox(user.id, '\\Inbox');
    const page = await h.store.mail.listMessages(inbox!.id, { limit: 10, cursor: null });
    assert.equal(page.items.length, 1);
    assert.match(page.items[0]!.subject, /second-factor login locked/);
    assert.match(page.items[0]!.snippet, /203\.0\.113\.9/);
  } finally {
    await h.close();
  }
});
