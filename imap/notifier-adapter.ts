/**
 * imap-core's `server.notifier` (addListener / removeListener / getUpdates / fire) on top of the
 * domain Notifier (push: something changed) and MailStore.getChanges (pull: the journal by
 * MODSEQ, RFC 7162). A session is told only about its own user's mailboxes; it then pulls the
 * journal of its selected mailbox since its last known MODSEQ, which makes IDLE push
 * EXISTS / FETCH / EXPUNGE (RFC 2177) and also catches up anything missed.
 */
import type { Logger } from 'pino';
import type { ChangeEvent, MailStore, Notifier } from '../domain/index.js';
import { expungeKey, flagKey, type OwnChanges } from './own-changes.js';
import type { ImapSession } from './types.js';

type Handler = (this: unknown, message?: { command: string; mailbox?: string; reason?: string }) => void;

/** imap-core's listener reads `this._closing`; EventEmitter would call it with the emitter as `this`. */
const CALL_CONTEXT = Object.freeze({ _closing: false, _closed: false });

export interface ImapUpdate {
  command: 'EXISTS' | 'EXPUNGE' | 'FETCH';
  uid: number;
  modseq: number;
  flags?: string[];
  ignore?: string;
}

export interface ImapNotifier {
  addListener(session: ImapSession, handler: Handler): void;
  removeListener(session: ImapSession, handler: Handler): void;
  getUpdates(mailboxId: string, modifyIndex: number, callback: (err: Error | null, updates?: ImapUpdate[]) => void): void;
  fire(userId: string, mailboxId?: string): void;
  close(): void;
}

export function toImapUpdate(event: ChangeEvent, own: OwnChanges): ImapUpdate | null {
  switch (event.type) {
    case 'exists':
      return { command: 'EXISTS', uid: event.uid, modseq: event.modseq };
    case 'expunge': {
      const ignore = own.owner(event.mailboxId, expungeKey(event.uid));
      return { command: 'EXPUNGE', uid: event.uid, modseq: event.modseq, ...(ignore ? { ignore } : {}) };
    }
    case 'flags': {
      const ignore = own.owner(event.mailboxId, flagKey(event.uid, event.modseq));
      return { command: 'FETCH', uid: event.uid, modseq: event.modseq, flags: event.flags, ...(ignore ? { ignore } : {}) };
    }
    default:
      return null;
  }
}

export function createImapNotifier(deps: { notifier: Notifier; mail: MailStore; ownChanges: OwnChanges; logger: Logger }): ImapNotifier {
  interface Entry {
    session: ImapSession;
    handler: Handler;
    unsubscribe: () => void;
  }
  const entries = new Map<Handler, Entry>();
  // imap-core drops a wake-up that arrives while its previous getUpdates is in flight; we
  // remember it per mailbox and wake the sessions again once that read is done.
  const inFlight = new Map<string, number>();
  const missed = new Set<string>();

  const wake = (mailboxId: string): void => {
    for (const e of entries.values()) {
      if (selectedOf(e.session) === mailboxId) e.handler.call(CALL_CONTEXT);
    }
  };

  const selectedOf = (session: ImapSession): string | null => (session.selected ? String(session.selected.mailbox) : null);

  return {
    addListener(session, handler) {
      const userId = session.user?.id;
      if (!userId) return;
      const unsubscribe = deps.notifier.subscribe(userId, (event) => {
        try {
          if (event.type === 'mailbox') {
            // A deleted selected mailbox ends the session (imap-core answers BYE, RFC 3501 7.1.5).
            if (event.action === 'delete') handler.call(CALL_CONTEXT, { command: 'DROP', mailbox: event.mailboxId });
            return;
          }
          if (selectedOf(session) !== event.mailboxId) return;
          if (inFlight.get(event.mailboxId)) missed.add(event.mailboxId);
          // Deferred: the hook that made this change marks it as its own (own-changes.ts)
          // right after the store resolves, before this runs.
          setImmediate(() => {
            if (entries.has(handler)) handler.call(CALL_CONTEXT);
          });
        } catch (err) {
          deps.logger.error({ err, cid: session.id }, 'imap notification handler failed');
        }
      });
      entries.set(handler, { session, handler, unsubscribe });
    },
    removeListener(_session, handler) {
      const e = entries.get(handler);
      if (!e) return;
      e.unsubscribe();
      entries.delete(handler);
    },
    getUpdates(mailboxId, modifyIndex, callback) {
      const id = String(mailboxId);
      inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
      const settle = (): void => {
        const n = (inFlight.get(id) ?? 1) - 1;
        if (n > 0) inFlight.set(id, n);
        else inFlight.delete(id);
        if (n <= 0 && missed.delete(id)) setImmediate(() => wake(id));
      };
      deps.mail.getChanges(id, Number(modifyIndex) || 0).then(
        (events) => {
          settle();
          const updates: ImapUpdate[] = [];
          for (const ev of events) {
            const u = toImapUpdate(ev, deps.ownChanges);
            if (u) updates.push(u);
          }
          callback(null, updates);
        },
        (err: Error) => {
          settle();
          callback(err);
        },
      );
    },
    /** Wakes this user's sessions that have `mailboxId` selected (or all of them). */
    fire(userId, mailboxId) {
      for (const e of entries.values()) {
        if (e.session.user?.id !== userId) continue;
        const sel = selectedOf(e.session);
        if (sel && (!mailboxId || sel === mailboxId)) e.handler.call(CALL_CONTEXT);
      }
    },
    close() {
      for (const e of entries.values()) e.unsubscribe();
      entries.clear();
    },
  };
}
