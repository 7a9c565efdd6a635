import type { Id } from './ids.js';

/**
 * Remembers whom a user's vacation responder answered, so each sender gets one reply per period
 * (RFC 3834 2: "SHOULD NOT" answer the same sender more than once within a period, typically days).
 */
export interface VacationLog {
  /**
   * Atomically: true and records `now` if the user has not replied to `sender` since
   * `now - periodMs`; false otherwise. `sender` compares case-insensitively.
   */
  claimReply(userId: Id, sender: string, periodMs: number, now?: Date): Promise<boolean>;
  /** Forgets a user's replies (vacation turned off and on again starts afresh). */
  reset(userId: Id): Promise<void>;
}
