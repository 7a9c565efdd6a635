import { isSpecialUse, MAILBOX_DELIMITER, StoreError } from '../../domain/index.js';
import type { Id, Mailbox, MailStore, SpecialUse } from '../../domain/index.js';
import { parseId, runWrite } from './context.js';
import type { StoreContext, WriteEffects } from './context.js';
import { nextModseq, recordChange } from './journal.js';
import { insertMailboxRow, mailboxRowByPath, requireMailbox } from './mailbox-rows.js';
import { isInbox, normalizeMailboxPath, parentPaths } from '../mailbox-names.js';
import { deleteMessageRows } from './message-rows.js';
import { moveAll } from './copy-move.js';
import { toMailbox } from './rows.js';
import type { MailboxRow } from './rows.js';
import { cachedStatement } from './context.js';
import { renameSubscription } from './subscriptions.js';

type MailboxMethods = Pick<
  MailStore,
  | 'listMailboxes'
  | 'getMailbox'
  | 'getMailboxById'
  | 'getSpecialMailbox'
  | 'createMailbox'
  | 'renameMailbox'
  | 'deleteMailbox'
>;

export function createMailboxMethods(ctx: StoreContext): MailboxMethods {
  const { db } = ctx;

  function requireUser(userId: number | null): number {
    if (userId === null || !cachedStatement(db, 'SELECT 1 FROM users WHERE id = ?').get(userId)) throw new StoreError('not_found', 'user not found');
    return userId;
  }

  function requireByPath(userId: number | null, path: string): MailboxRow {
    const row = userId === null ? undefined : mailboxRowByPath(db, userId, normalizeMailboxPath(path));
    if (!row) throw new StoreError('not_found', 'mailbox not found');
    return row;
  }

  function ensureParents(fx: WriteEffects, userId: number, path: string): void {
    for (const parent of parentPaths(path)) {
      if (!mailboxRowByPath(db, userId, parent)) insertMailboxRow(db, fx, userId, parent, { subscribed: false, nowMs: ctx.now() });
    }
  }

  return {
    async listMailboxes(userId: Id) {
      const uid = parseId(userId);
      return (cachedStatement(db, 'SELECT * FROM mailboxes WHERE user_id = ? ORDER BY path').all(uid) as MailboxRow[]).map(toMailbox);
    },

    async getMailbox(userId: Id, path: string) {
      const uid = parseId(userId);
      if (uid === null) return null;
      let p: string;
      try {
        p = normalizeMailboxPath(path);
      } catch {
        return null;
      }
      const row = mailboxRowByPath(db, uid, p);
      return row ? toMailbox(row) : null;
    },

    async getMailboxById(userId: Id, mailboxId: Id) {
      const row = cachedStatement(db, 'SELECT * FROM mailboxes WHERE id = ? AND user_id = ?').get(parseId(mailboxId), parseId(userId)) as MailboxRow | undefined;
      return row ? toMailbox(row) : null;
    },

    async getSpecialMailbox(userId: Id, specialUse: SpecialUse) {
      const row = db
        .prepare('SELECT * FROM mailboxes WHERE user_id = ? AND special_use = ? ORDER BY id LIMIT 1')
        .get(parseId(userId), specialUse) as MailboxRow | undefined;
      return row ? toMailbox(row) : null;
    },

    async createMailbox(userId: Id, path: string, opts = {}): Promise<Mailbox> {
      const p = normalizeMailboxPath(path);
      if (opts.specialUse !== undefined && !isSpecialUse(opts.specialUse)) throw new StoreError('invalid', 'unknown special-use');
      return runWrite(ctx, (fx) => {
        const uid = requireUser(parseId(userId));
        if (mailboxRowByPath(db, uid, p)) throw new StoreError('already_exists', 'mailbox already exists');
        ensureParents(fx, uid, p);
        const row = insertMailboxRow(db, fx, uid, p, { specialUse: opts.specialUse ?? null, subscribed: opts.subscribed ?? true, nowMs: ctx.now() });
        return toMailbox(row);
      });
    },

    async renameMailbox(userId: Id, path: string, newPath: string): Promise<Mailbox> {
      const from = normalizeMailboxPath(path);
      const to = normalizeMailboxPath(newPath);
      return runWrite(ctx, (fx) => {
        const uid = requireUser(parseId(userId));
        const source = requireByPath(uid, from);
        if (from === to || mailboxRowByPath(db, uid, to)) throw new StoreError('already_exists', 'target mailbox already exists');
        if (to.startsWith(from + MAILBOX_DELIMITER)) throw new StoreError('invalid', 'cannot rename a mailbox into itself');
        ensureParents(fx, uid, to);

        if (isInbox(from)) {
          // RFC 3501 6.3.5: renaming INBOX moves its messages to the new name; INBOX stays, empty.
          // Its children keep their names.
          const target = insertMailboxRow(db, fx, uid, to, { nowMs: ctx.now() });
          moveAll(db, fx, source, target, ctx.now());
          return toMailbox(requireMailbox(db, target.id));
        }

        const children = db
          .prepare('SELECT * FROM mailboxes WHERE user_id = ? AND substr(path, 1, ?) = ?')
          .all(uid, from.length + 1, from + MAILBOX_DELIMITER) as MailboxRow[];
        for (const child of children) {
          const childTo = to + child.path.slice(from.length);
          if (mailboxRowByPath(db, uid, childTo)) throw new StoreError('already_exists', `${childTo} already exists`);
        }
        for (const mb of [source, ...children]) {
          const newName = mb.id === source.id ? to : to + mb.path.slice(from.length);
          cachedStatement(db, 'UPDATE mailboxes SET path = ? WHERE id = ?').run(newName, mb.id);
          renameSubscription(db, uid, mb.path, newName);
          const modseq = nextModseq(db, mb.id);
          recordChange(db, fx, { type: 'mailbox', userId: String(uid), mailboxId: String(mb.id), action: 'rename', path: newName, modseq });
        }
        return toMailbox(requireMailbox(db, source.id));
      });
    },

    async deleteMailbox(userId: Id, path: string) {
      const p = normalizeMailboxPath(path);
      if (isInbox(p)) throw new StoreError('cannot_delete', 'INBOX cannot be deleted');
      await runWrite(ctx, (fx) => {
        const uid = requireUser(parseId(userId));
        const mb = requireByPath(uid, p);
        deleteMessageRows(db, fx, 'SELECT id FROM messages WHERE mailbox_id = ?', [mb.id]);
        cachedStatement(db, 'DELETE FROM mailboxes WHERE id = ?').run(mb.id);
        // No journal row: the journal goes with the mailbox. Listeners still hear of it.
        fx.events.push({ type: 'mailbox', userId: String(uid), mailboxId: String(mb.id), action: 'delete', path: mb.path, modseq: mb.highest_modseq + 1 });
      });
    },
  };
}
