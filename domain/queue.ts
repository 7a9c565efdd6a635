import type { Id } from './ids.js';

/**
 * The outbound queue: messages waiting to be relayed to remote domains. One stored message may
 * fan out into several entries, one per recipient domain, so each domain is retried on its own.
 * Every write is durable before it resolves: a submission is answered 250 only after `enqueue`.
 *
 * Workers `claim` entries with a lease; an entry whose lease runs out (the worker crashed, even
 * with kill -9) is claimable again. complete/defer/fail need the lease token of the claim, so a
 * worker that lost its lease cannot overwrite what a newer worker did.
 */
export type QueueEntryStatus = 'queued' | 'sending';

/** What the queue carries besides plain mail; bounces and auto-replies never bounce themselves. */
export type QueueKind = 'mail' | 'dsn' | 'vacation';

export interface QueueEntry {
  id: Id;
  /** The stored message this entry delivers (shared by the entries of other domains). */
  messageId: Id;
  /** Envelope sender; '' for the null reverse-path (RFC 5321 4.5.5). */
  sender: string;
  /** Lower-case recipient domain. */
  domain: string;
  /** Recipients still to deliver at this domain. */
  recipients: string[];
  /** The submitting user, when there was one (bounces go to their INBOX). */
  userId: Id | null;
  kind: QueueKind;
  /** Message size in bytes. */
  size: number;
  createdAt: Date;
  nextAttemptAt: Date;
  attempts: number;
  lastError: string | null;
  status: QueueEntryStatus;
}

export interface ClaimedEntry extends QueueEntry {
  /** Proves the claim; pass it back to complete/defer/fail. */
  lease: string;
  leaseUntil: Date;
}

export interface EnqueueInput {
  sender: string;
  recipients: string[];
  raw: Buffer;
  userId?: Id | null;
  kind?: QueueKind;
  /** First attempt time; now by default. */
  notBefore?: Date;
}

export interface ClaimOptions {
  /** Most entries to claim in this call. */
  limit: number;
  leaseMs: number;
  /** Per-domain cap on entries leased at once, counting `active`. 0 = no cap. */
  maxPerDomain: number;
  /** Entries per domain this worker already has in flight. */
  active?: Record<string, number>;
  now?: Date;
}

export interface QueueStore {
  /** Stores the bytes and one entry per recipient domain in one transaction. */
  enqueue(input: EnqueueInput): Promise<QueueEntry[]>;
  /** Due entries (next attempt reached, no live lease), oldest due first. */
  claim(opts: ClaimOptions): Promise<ClaimedEntry[]>;
  /** The raw message of an entry, or null once it is gone. */
  readMessage(messageId: Id): Promise<Buffer | null>;
  /** Delivered: removes the entry (and the message once no entry needs it). False if the lease was lost. */
  complete(id: Id, lease: string): Promise<boolean>;
  /** Temporary failure: keeps `recipients` for another try at `nextAttemptAt`. */
  defer(id: Id, lease: string, update: { recipients: string[]; nextAttemptAt: Date; error: string }): Promise<boolean>;
  /** Permanent failure (after the bounce was made): removes the entry. */
  fail(id: Id, lease: string, error: string): Promise<boolean>;

  get(id: Id): Promise<QueueEntry | null>;
  list(opts?: { limit?: number; offset?: number; domain?: string }): Promise<QueueEntry[]>;
  count(): Promise<number>;
  /** Makes entries due now (one, or all). Returns how many. */
  flush(id?: Id, now?: Date): Promise<number>;
  /** Removes an entry without delivering or bouncing it. False if there was none. */
  delete(id: Id): Promise<boolean>;
  /** When the next entry falls due (live leases count as due at their expiry), or null if empty. */
  nextDue(): Promise<Date | null>;
}
