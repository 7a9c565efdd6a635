/**
 * THREAD's memory of a mailbox, for the sessions of this process: what it reads of every message
 * (MailStore.listThreadFields: ids, base subject, date) and its last answer. A message's fields never change
 * under its UID (RFC 3501 2.3.1.1: a UID names one message for as long as UIDVALIDITY holds),
 * so the next THREAD of the same mailbox reads only the messages it has not seen, as Dovecot
 * keeps a thread index beside the mailbox. Stale entries cannot answer: each read is keyed by
 * mailbox id and UIDVALIDITY, and a message expunged since is simply not asked for.
 * An answer is a function of the message set alone (fields fixed per UID, ties in UID order),
 * so the same set threaded again is answered from memory until a message arrives or goes.
 * Bounded by a total number of messages; the least recently used mailbox goes first.
 */
import type { MailStore, MessageThreadFields } from '../../domain/index.js';
import { evictLeastRecent, heldMessages } from './mailbox-lru.js';

interface Entry {
  uidValidity: number;
  byUid: Map<number, MessageThreadFields>;
  /** The last answer: for which kind (algorithm and numbering) and which UIDs. */
  answer?: { kind: string; uids: readonly number[]; text: string };
}

/** Below this many missing messages they are read by UID list; above it, as one UID range. */
const LIST_READ_MAX = 2000;

export class ThreadCache {
  /** Map order is recency order: a hit moves the entry to the end. */
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxMessages: number) {}

  /** Messages held, over all mailboxes (for tests and metrics). */
  get size(): number {
    return heldMessages(this.entries, messagesOf);
  }

  /**
   * The fields of `uids` (ascending) that still exist, in UID order: from memory where known,
   * the rest read from the store in one call.
   */
  async fields(mail: MailStore, mailboxId: string, uidValidity: number, uids: readonly number[]): Promise<MessageThreadFields[]> {
    let entry = this.entries.get(mailboxId);
    if (entry) {
      this.entries.delete(mailboxId);
      if (entry.uidValidity !== uidValidity) entry = undefined;
    }
    entry ??= { uidValidity, byUid: new Map() };
    this.entries.set(mailboxId, entry);
    const missing: number[] = [];
    for (const uid of uids) if (!entry.byUid.has(uid)) missing.push(uid);
    if (missing.length) {
      const selector = missing.length <= LIST_READ_MAX ? missing : { start: missing[0]!, end: missing[missing.length - 1]! };
      const read = await mail.listThreadFields(mailboxId, selector);
      for (const f of read) entry.byUid.set(f.uid, f);
      // Another session may have replaced or dropped the entry meanwhile: then this one is
      // private to this call and bounds nothing.
      if (this.entries.get(mailboxId) === entry) {
        // Expunged messages stay until the entry is rebuilt: once they outnumber the live ones.
        if (entry.byUid.size > 2 * uids.length + LIST_READ_MAX) this.entries.delete(mailboxId);
        else evictLeastRecent(this.entries, mailboxId, this.maxMessages, messagesOf);
      }
    }
    return pick(uids, entry.byUid);
  }

  /** The answer kept for exactly these UIDs (ascending) and this kind, if any. */
  answer(mailboxId: string, uidValidity: number, kind: string, uids: readonly number[]): string | undefined {
    const a = this.entries.get(mailboxId);
    if (!a || a.uidValidity !== uidValidity || !a.answer || a.answer.kind !== kind) return undefined;
    const kept = a.answer.uids;
    if (kept.length !== uids.length) return undefined;
    for (let i = 0; i < kept.length; i++) if (kept[i] !== uids[i]) return undefined;
    return a.answer.text;
  }

  /** Keeps `text` as the answer for `uids` (one per mailbox: the last one asked). */
  keepAnswer(mailboxId: string, uidValidity: number, kind: string, uids: readonly number[], text: string): void {
    const e = this.entries.get(mailboxId);
    if (e && e.uidValidity === uidValidity) e.answer = { kind, uids, text };
  }
}

const messagesOf = (e: Entry): number => e.byUid.size;

function pick(uids: readonly number[], byUid: Map<number, MessageThreadFields>): MessageThreadFields[] {
  const out: MessageThreadFields[] = [];
  for (const uid of uids) {
    const f = byUid.get(uid);
    if (f) out.push(f);
  }
  return out;
}
