import type { Backend } from '../backends.js';
import { contractSuite } from './run.js';
import { mailHarness } from './harness.js';
import type { StoreHarness } from './harness.js';
import { userContract } from './users.js';
import { userIdContract } from './user-ids.js';
import { mailboxContract } from './mailboxes.js';
import { mailboxStateContract } from './mailbox-state.js';
import { messageContract } from './messages.js';
import { flagsExpungeContract } from './flags-expunge.js';
import { copyMoveContract } from './copy-move.js';
import { journalContract } from './journal.js';
import { blobRefContract } from './blob-refs.js';
import { searchContract } from './search.js';
import { substringContract } from './search-substring.js';
import { hostileContract } from './hostile.js';
import { narrowReadsContract } from './narrow-reads.js';

export type { StoreHarness } from './harness.js';

type Section = [string, (h: () => StoreHarness) => void];

function run(port: string, backend: Backend, sections: Section[]): void {
  for (const [name, section] of sections) contractSuite(`${port} ${name}`, backend, (h) => section(mailHarness(h)));
}

/** UserStore: users, domains, addresses, passwords. */
export function runUserStoreContract(backend: Backend): void {
  run('UserStore', backend, [
    ['users and domains', userContract],
    ['user ids never reused', userIdContract],
  ]);
}

/**
 * MailStore: every method of domain/mail-store.ts. Each section gets a fresh store from the
 * backend's factory; tests inside a section create their own users, so they do not interfere.
 * The factory must open the store with mail/mime's text extractor (createSearchTextExtractor)
 * so substring search can verify its candidates.
 */
export function runMailStoreContract(backend: Backend): void {
  run('MailStore', backend, [
    ['mailboxes', mailboxContract],
    ['subscriptions, keywords, recent, status, urlauth', mailboxStateContract],
    ['messages', messageContract],
    ['flags and expunge', flagsExpungeContract],
    ['copy and move', copyMoveContract],
    ['journal and notifier', journalContract],
    ['blob reference counts', blobRefContract],
    ['search', searchContract],
    ['substring search', substringContract],
    ['hostile input', hostileContract],
    ['narrow reads (FETCH FLAGS, SORT, THREAD)', narrowReadsContract],
  ]);
}
