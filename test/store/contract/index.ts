import { after, before, describe } from 'node:test';
import type { StoreFactory, StoreHarness } from './harness.js';
import { userContract } from './users.js';
import { mailboxContract } from './mailboxes.js';
import { messageContract } from './messages.js';
import { flagsExpungeContract } from './flags-expunge.js';
import { copyMoveContract } from './copy-move.js';
import { journalContract } from './journal.js';
import { blobRefContract } from './blob-refs.js';
import { searchContract } from './search.js';
import { hostileContract } from './hostile.js';

export type { StoreFactory, StoreHarness } from './harness.js';

const SECTIONS: Array<[string, (h: () => StoreHarness) => void]> = [
  ['users and domains', userContract],
  ['mailboxes', mailboxContract],
  ['messages', messageContract],
  ['flags and expunge', flagsExpungeContract],
  ['copy and move', copyMoveContract],
  ['journal and notifier', journalContract],
  ['blob reference counts', blobRefContract],
  ['search', searchContract],
  ['hostile input', hostileContract],
];

/**
 * The store contract: every backend runs exactly these tests. Each section gets a fresh store
 * from the factory; tests inside a section create their own users, so they do not interfere.
 */
export function runStoreContract(backend: string, factory: StoreFactory): void {
  describe(`store contract: ${backend}`, () => {
    for (const [name, section] of SECTIONS) {
      describe(name, () => {
        let harness: StoreHarness | undefined;
        before(async () => {
          harness = await factory();
        });
        after(async () => {
          await harness?.cleanup();
        });
        section(() => {
          if (!harness) throw new Error('store harness not ready');
          return harness;
        });
      });
    }
  });
}
