/**
 * Keeps logged-in sessions honest about their account (issue 9: deleting a user revokes "at
 * once, everywhere"). A user deleted or disabled by another process (the CLI, another node)
 * leaves no trace in this one, so each user with sessions here is re-read at most once every
 * `intervalMs`: before a command when the last look is older than that, from the listener's
 * timer for everyone else (IDLE sessions send no commands), and at once when the cluster bus
 * says the user's credentials were revoked. A session that logged in with an app password
 * ends when any app password the user had at login is gone: the store does not say which one
 * matched, and a client whose own app password survives simply logs in again.
 */
import type { Logger } from 'pino';
import type { AccountStore, ClusterBus, UserStore } from '../../domain/index.js';

/** What the watch needs of a session. */
export interface WatchedSession {
  readonly user: { id: string } | null;
  /** Ids of the user's app passwords at login; null when the session logged in with the account password. */
  appPasswordIds: ReadonlySet<string> | null;
  readonly closed: boolean;
  /** `* BYE reason` and close. */
  revoke(reason: string): void;
}

export interface AccountWatchOptions {
  users: Pick<UserStore, 'getUser'>;
  accounts?: Pick<AccountStore, 'listAppPasswords'>;
  bus?: ClusterBus;
  intervalMs: number;
  logger: Logger;
  /** Users with logged-in sessions on this listener, and each one's sessions (kept by the NotifyHub). */
  userIds: () => Iterable<string>;
  sessionsOf: (userId: string) => readonly WatchedSession[];
}

/** The bus event comes before the deletion is committed (accounts/delete-account.ts revokes first): look again shortly after. */
const BUS_RECHECKS_MS = [0, 500, 2000];

export class AccountWatch {
  private readonly checkedAt = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly unsubscribe: (() => void) | null;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly opts: AccountWatchOptions) {
    this.unsubscribe =
      opts.bus?.subscribe((event) => {
        if (event.type === 'user-tokens-revoked') this.soon(event.userId);
      }) ?? null;
  }

  /** The app passwords a session that just logged in with one may rely on. */
  async appPasswordsAtLogin(userId: string): Promise<Set<string> | null> {
    if (!this.opts.accounts) return null;
    return new Set((await this.opts.accounts.listAppPasswords(userId)).map((p) => p.id));
  }

  /** Before a command: true if the session may go on (checked now when the last look is stale). */
  async fresh(session: WatchedSession): Promise<boolean> {
    const id = session.user?.id;
    if (!id) return true;
    if (Date.now() - (this.checkedAt.get(id) ?? 0) >= this.opts.intervalMs) await this.check(id);
    return !session.closed;
  }

  /** From the listener's timer: every user whose last look is stale; users gone from here are forgotten. */
  sweep(): void {
    const now = Date.now();
    const live = new Set(this.opts.userIds());
    for (const id of this.checkedAt.keys()) if (!live.has(id)) this.checkedAt.delete(id);
    for (const id of live) if (now - (this.checkedAt.get(id) ?? 0) >= this.opts.intervalMs) void this.check(id);
  }

  private soon(userId: string): void {
    for (const delay of BUS_RECHECKS_MS) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        void this.check(userId);
      }, delay);
      t.unref();
      this.timers.add(t);
    }
  }

  /** One look per user at a time; sessions of that user that lost their account get BYE. */
  check(userId: string): Promise<void> {
    const running = this.inFlight.get(userId);
    if (running) return running;
    const p = this.look(userId)
      .catch((err: unknown) => this.opts.logger.warn({ err, userId }, 'imap account check failed; will retry'))
      .finally(() => this.inFlight.delete(userId));
    this.inFlight.set(userId, p);
    return p;
  }

  private async look(userId: string): Promise<void> {
    const user = await this.opts.users.getUser(userId);
    this.checkedAt.set(userId, Date.now());
    const mine = this.opts.sessionsOf(userId).filter((s) => !s.closed);
    if (!user || user.disabled) {
      this.end(mine, user ? 'Account disabled' : 'Account deleted', userId);
      return;
    }
    const withApp = mine.filter((s) => s.appPasswordIds);
    if (withApp.length === 0 || !this.opts.accounts) return;
    const now = new Set((await this.opts.accounts.listAppPasswords(userId)).map((p) => p.id));
    this.end(
      withApp.filter((s) => [...s.appPasswordIds!].some((id) => !now.has(id))),
      'App password revoked',
      userId,
    );
  }

  private end(sessions: WatchedSession[], reason: string, userId: string): void {
    if (sessions.length === 0) return;
    this.opts.logger.info({ event: 'session_revoked', userId, reason, sessions: sessions.length }, 'imap sessions ended: account no longer valid');
    for (const s of sessions) s.revoke(reason);
  }

  close(): void {
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
