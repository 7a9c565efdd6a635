import { isStoreError, type Id, type MailStore } from '../../domain/index.js';
import { targetKey, type ImportTarget } from './targets.js';

/** A label or folder name the store accepts: no control characters or LIST wildcards, no empty levels. */
export function cleanMailboxPath(path: string): string {
  const levels = path
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f*%]/g, '_')
    .split('/')
    .map((l) => l.trim().slice(0, 200))
    .filter(Boolean)
    .slice(0, 16);
  return levels.length > 0 ? levels.join('/') : 'Imported';
}

/** Finds (or creates, subscribed) the mailbox of each target once per run. */
export function createMailboxResolver(mail: MailStore, userId: Id): (target: ImportTarget) => Promise<Id> {
  const cache = new Map<string, Id>();
  return async (target) => {
    const key = targetKey(target);
    const known = cache.get(key);
    if (known !== undefined) return known;
    let id: Id;
    if ('specialUse' in target) {
      const mb = await mail.getSpecialMailbox(userId, target.specialUse);
      if (!mb) throw new Error(`the user has no ${target.specialUse} mailbox`);
      id = mb.id;
    } else {
      const path = cleanMailboxPath(target.path);
      const existing = await mail.getMailbox(userId, path);
      if (existing) id = existing.id;
      else {
        try {
          id = (await mail.createMailbox(userId, path, { subscribed: true })).id;
        } catch (err) {
          // Another import (or a client) made it meanwhile.
          if (!isStoreError(err, 'already_exists')) throw err;
          id = (await mail.getMailbox(userId, path))!.id;
        }
      }
    }
    cache.set(key, id);
    return id;
  };
}
