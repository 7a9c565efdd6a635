/**
 * One Notifier subscription per logged-in user, fanned out to that user's sessions: sessions
 * learn of store changes at once (IDLE push, NOTIFY) without one subscription each.
 */
import type { ChangeEvent, Notifier } from '../../domain/index.js';

export interface ChangeSink {
  onMailChange(event: ChangeEvent): void;
}

export class NotifyHub<S extends ChangeSink = ChangeSink> {
  private readonly users = new Map<string, { sessions: Set<S>; unsubscribe: () => void }>();

  constructor(
    private readonly notifier: Notifier,
    private readonly onError: (err: unknown) => void,
  ) {}

  attach(userId: string, sink: S): void {
    let entry = this.users.get(userId);
    if (!entry) {
      const sessions = new Set<S>();
      const unsubscribe = this.notifier.subscribe(userId, (event) => {
        for (const s of sessions) {
          try {
            s.onMailChange(event);
          } catch (err) {
            this.onError(err);
          }
        }
      });
      entry = { sessions, unsubscribe };
      this.users.set(userId, entry);
    }
    entry.sessions.add(sink);
  }

  detach(userId: string, sink: S): void {
    const entry = this.users.get(userId);
    if (!entry || !entry.sessions.delete(sink)) return;
    if (entry.sessions.size === 0) {
      entry.unsubscribe();
      this.users.delete(userId);
    }
  }

  /** Sessions of this user now (limits per user). */
  count(userId: string): number {
    return this.users.get(userId)?.sessions.size ?? 0;
  }

  /** The users with a session here. */
  userIds(): Iterable<string> {
    return this.users.keys();
  }

  /** This user's sessions (a copy: callers may end them while iterating). */
  sessionsOf(userId: string): S[] {
    return [...(this.users.get(userId)?.sessions ?? [])];
  }

  close(): void {
    for (const e of this.users.values()) e.unsubscribe();
    this.users.clear();
  }
}
