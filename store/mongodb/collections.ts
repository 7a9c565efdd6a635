import type { Collection, Db } from 'mongodb';
import type * as D from './documents.js';

/** Every collection by name, typed; the only place collection names are spelled. */
export interface Collections {
  domains: Collection<D.DomainDoc>;
  users: Collection<D.UserDoc>;
  addresses: Collection<D.AddressDoc>;
  mailboxes: Collection<D.MailboxDoc>;
  messages: Collection<D.MessageDoc>;
  contents: Collection<D.ContentDoc>;
  subscriptions: Collection<D.SubscriptionDoc>;
  journal: Collection<D.JournalDoc>;
  blobs: Collection<D.BlobDoc>;
  otpCodes: Collection<D.OtpDoc>;
  apiTokens: Collection<D.TokenDoc>;
  preferences: Collection<D.PreferencesDoc>;
  totp: Collection<D.TotpDoc>;
  appPasswords: Collection<D.AppPasswordDoc>;
  contacts: Collection<D.ContactDoc>;
  contactGroups: Collection<D.GroupDoc>;
  groupMembers: Collection<D.GroupMemberDoc>;
  audit: Collection<D.AuditDoc>;
  queueMessages: Collection<D.QueueMessageDoc>;
  queueChunks: Collection<D.QueueChunkDoc>;
  queueEntries: Collection<D.QueueEntryDoc>;
  vacationReplies: Collection<D.VacationReplyDoc>;
  dkimKeys: Collection<D.DkimKeyDoc>;
  secrets: Collection<D.SecretDoc>;
  counters: Collection<D.CounterDoc>;
}

const NAMES: ReadonlyArray<keyof Collections> = [
  'domains',
  'users',
  'addresses',
  'mailboxes',
  'messages',
  'contents',
  'subscriptions',
  'journal',
  'blobs',
  'otpCodes',
  'apiTokens',
  'preferences',
  'totp',
  'appPasswords',
  'contacts',
  'contactGroups',
  'groupMembers',
  'audit',
  'queueMessages',
  'queueChunks',
  'queueEntries',
  'vacationReplies',
  'dkimKeys',
  'secrets',
  'counters',
];

/** GridFS bucket of blob bytes (`blobdata.files`, `blobdata.chunks`). */
export const BLOB_BUCKET = 'blobdata';

export function collections(db: Db): Collections {
  return Object.fromEntries(NAMES.map((n) => [n, db.collection(n)])) as unknown as Collections;
}
