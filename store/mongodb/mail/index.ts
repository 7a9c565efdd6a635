import type { MailStore } from '../../../domain/index.js';
import type { MongoContext } from '../context.js';
import { createMailboxMethods } from './mailboxes.js';
import { createMessageMethods } from './messages.js';
import { createNarrowReadMethods } from './narrow-reads.js';
import { createFlagMethods } from './flags.js';
import { createCopyMoveMethods } from './copy-move.js';
import { createSearchMethods } from './search/methods.js';

/**
 * The MailStore on MongoDB. Per-user documents (mailboxes, messages, contents, journal) all
 * carry userId, the shard key; every change of a mailbox is one transaction that also writes the
 * journal, UIDs/MODSEQs, storage use and blob reference counts, and its change events are
 * published only after the commit.
 */
export function createMongoMailStore(ctx: MongoContext): MailStore {
  return {
    ...createMailboxMethods(ctx),
    ...createMessageMethods(ctx),
    ...createNarrowReadMethods(ctx),
    ...createFlagMethods(ctx),
    ...createCopyMoveMethods(ctx),
    ...createSearchMethods(ctx),
  };
}
