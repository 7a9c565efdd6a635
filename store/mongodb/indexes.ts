import type { Db, IndexDescription } from 'mongodb';
import type { Collections } from './collections.js';
import { BLOB_BUCKET } from './collections.js';

/**
 * Every index, declared in one place and created at start (createIndexes is idempotent).
 * Per-user data leads with `userId` so each query stays on one shard when the cluster is
 * sharded by user (README: sharding). Time-to-live indexes drop expired codes and tokens.
 */
export const INDEXES: { [K in keyof Collections]?: IndexDescription[] } & Record<string, IndexDescription[] | undefined> = {
  users: [
    { key: { username: 1 }, name: 'username', unique: true },
    { key: { address: 1 }, name: 'address', unique: true },
  ],
  addresses: [
    { key: { userId: 1 }, name: 'user' },
    { key: { domain: 1 }, name: 'domain' },
  ],
  mailboxes: [
    { key: { userId: 1, path: 1 }, name: 'user_path', unique: true },
    { key: { userId: 1, specialUse: 1 }, name: 'user_special' },
  ],
  subscriptions: [{ key: { userId: 1, path: 1 }, name: 'user_path' }],
  messages: [
    { key: { mailboxId: 1, uid: 1 }, name: 'mailbox_uid', unique: true },
    { key: { mailboxId: 1, modseq: 1 }, name: 'mailbox_modseq' },
    { key: { mailboxId: 1, flagsLower: 1 }, name: 'mailbox_flags' },
    { key: { userId: 1, internalDate: -1, _id: -1 }, name: 'user_date' },
    { key: { userId: 1, messageIdHeader: 1 }, name: 'user_msgid' },
    { key: { userId: 1, threadId: 1 }, name: 'user_thread' },
    { key: { userId: 1, contentId: 1 }, name: 'user_content' },
  ],
  contents: [
    { key: { userId: 1, terms: 1 }, name: 'user_terms' },
    { key: { userId: 1, emailId: 1 }, name: 'user_email' },
  ],
  journal: [
    { key: { mailboxId: 1, modseq: 1 }, name: 'mailbox_modseq' },
    { key: { mailboxId: 1, uid: 1, type: 1 }, name: 'mailbox_uid' },
  ],
  blobs: [{ key: { refcount: 1, touchedAt: 1 }, name: 'unreferenced' }],
  otpCodes: [
    { key: { userId: 1, purpose: 1, createdAt: -1 }, name: 'user_purpose' },
    { key: { purgeAt: 1 }, name: 'ttl', expireAfterSeconds: 0 },
  ],
  apiTokens: [
    { key: { userId: 1 }, name: 'user' },
    { key: { purgeAt: 1 }, name: 'ttl', expireAfterSeconds: 0 },
  ],
  appPasswords: [{ key: { userId: 1, hash: 1 }, name: 'user_hash', unique: true }],
  contacts: [{ key: { userId: 1, nameLower: 1, _id: 1 }, name: 'user_name' }],
  contactGroups: [{ key: { userId: 1, nameLower: 1, _id: 1 }, name: 'user_name' }],
  groupMembers: [
    { key: { groupId: 1, contactId: 1 }, name: 'group_contact', unique: true },
    { key: { contactId: 1 }, name: 'contact' },
  ],
  audit: [
    { key: { userId: 1, createdAt: -1 }, name: 'user_time' },
    { key: { createdAt: -1 }, name: 'time' },
  ],
  queueEntries: [
    { key: { nextAttemptAt: 1, seq: 1 }, name: 'due' },
    { key: { messageId: 1 }, name: 'message' },
    { key: { domain: 1, seq: 1 }, name: 'domain' },
    { key: { leaseUntil: 1 }, name: 'lease' },
    { key: { seq: 1 }, name: 'seq' },
  ],
  queueChunks: [{ key: { messageId: 1, n: 1 }, name: 'message_n', unique: true }],
  vacationReplies: [{ key: { userId: 1 }, name: 'user' }],
  [`${BLOB_BUCKET}.files`]: [{ key: { filename: 1, uploadDate: 1 }, name: 'filename_1_uploadDate_1' }],
  [`${BLOB_BUCKET}.chunks`]: [{ key: { files_id: 1, n: 1 }, name: 'files_id_1_n_1', unique: true }],
};

export async function ensureIndexes(db: Db): Promise<void> {
  for (const [name, specs] of Object.entries(INDEXES)) {
    if (specs && specs.length > 0) await db.collection(name).createIndexes(specs);
  }
}
