import type { Readable } from 'node:stream';
import type { Envelope, SessionInfo } from './envelope.js';
import type { SmtpReply } from './smtp-reply.js';
import type { Id } from './ids.js';

/**
 * What a content check decides. `junk` files into Junk (or tags, per the user's preference);
 * `tempfail` answers 4xx; `reject` answers 5xx with `reply`.
 */
export type VerdictAction = 'accept' | 'junk' | 'tempfail' | 'reject';

export interface Verdict {
  filter: string;
  action: VerdictAction;
  reply?: SmtpReply;
  reason?: string;
  /** Headers to prepend to the delivered message, in order. */
  headers?: Array<[name: string, value: string]>;
  score?: number;
}

export interface CheckRecipient {
  address: string;
  userId: Id;
}

export interface CheckContext {
  queueId: string;
  envelope: Envelope;
  session: SessionInfo;
  recipients: CheckRecipient[];
  size: number;
  /** A fresh stream of the raw message (as received, before Heron adds headers), each call. */
  openRaw(): Readable;
}

/** A filter (rspamd, ClamAV, mailauth...). Returns a Verdict; never writes to the store. */
export interface MessageCheck {
  readonly name: string;
  check(ctx: CheckContext): Promise<Verdict>;
}
