/**
 * One IMAP connection: the state machine of RFC 3501 3 / RFC 9051 3 (not authenticated,
 * authenticated, selected, logout), the command loop, and what commands use to answer.
 *
 * Commands run strictly one after another from an iterative loop (no recursion, so 2,000
 * pipelined commands cost 2,000 iterations and no stack). Each runs inside a fence: whatever it
 * throws becomes that command's NO/BAD, and the session goes on.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ChangeEvent, User } from '../../domain/index.js';
import { CommandReader } from '../protocol/command-reader.js';
import type { Command } from '../protocol/commands.js';
import { statusLine, untagged, type Piece } from '../protocol/encoder.js';
import { DEFAULT_PROTOCOL_LIMITS, type ProtocolLimits } from '../protocol/limits.js';
import { decodeMailboxName, encodeMailboxName } from '../protocol/mailbox-name.js';
import { CommandError, parseCommand } from '../protocol/parse-command.js';
import { atom, type ImapValue } from '../protocol/values.js';
import { capabilities } from './capabilities.js';
import type { CommandRegistry, CommandResult, CommandSpec } from './command-spec.js';
import type { ImapDeps } from './deps.js';
import { failureOf, ImapCodes, ImapNo } from './imap-error.js';
import type { AccountWatch } from './account-watch.js';
import type { NotifyHub } from './notify-hub.js';
import { ResponseWriter } from './output.js';
import type { RateGate } from './rate-gate.js';
import type { SelectedMailbox } from './selected-mailbox.js';
import { Transport, type TlsOptions } from './transport.js';
import { formatUpdates } from './updates.js';

export type SessionState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

export interface SessionUser {
  id: string;
  /** The login name the client used. */
  login: string;
  user: User;
}

/** What all sessions of one listener share. */
export interface ListenerContext {
  deps: ImapDeps;
  registry: CommandRegistry;
  /** Implicit TLS listener (993). */
  secure: boolean;
  /** For STARTTLS; null on the implicit-TLS listener. */
  tls: TlsOptions | null;
  /** LOGIN/AUTHENTICATE refused until TLS (LOGINDISABLED). False only in tests. */
  loginNeedsTls: boolean;
  hub: NotifyHub<Session>;
  /** Ends sessions whose account was deleted, disabled or whose app password was revoked. */
  accountWatch: AccountWatch;
  rate: RateGate;
  sessions: Set<Session>;
  /** Sessions in IDLE, by user and by IP (limits). */
  idleCount(key: string, delta: number): number;
  logger: Logger;
}

const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

export class Session {
  readonly id = randomBytes(6).toString('base64url');
  readonly remoteAddress: string;
  state: SessionState = 'not-authenticated';
  user: SessionUser | null = null;
  /** The user's app passwords when the session logged in with one (account-watch.ts); null otherwise. */
  appPasswordIds: ReadonlySet<string> | null = null;
  /** ENABLEd extensions (RFC 5161) and those switched on by use (CONDSTORE, RFC 7162 3.1). */
  readonly enabled = new Set<string>();
  selected: SelectedMailbox | null = null;
  /** In IDLE: updates are pushed as they happen (RFC 2177). */
  idling = false;
  lastInput = Date.now();
  lastKeepalive = Date.now();
  /** Client ID (RFC 2971), for logs. */
  clientId: string | null = null;
  private logger: Logger | null = null;
  readonly transport: Transport;
  private readonly reader: CommandReader;
  private readonly writer: ResponseWriter;
  private readonly limits: ProtocolLimits;
  private wake: (() => void) | null = null;
  private paused = false;
  /** Serialises journal reads and update output (a command's and an IDLE push). */
  private updateChain: Promise<void> = Promise.resolve();
  /** The command being run, for the update policy. */
  current: Command | null = null;
  /** The mailbox generation the CONTEXT watchers last saw. */
  private watchedGeneration = -1;
  /** NOTIFY (RFC 5465) in force: events for other mailboxes, and whether the selected one's are pushed at once. */
  notify: { pushSelected: boolean; onEvent(event: ChangeEvent): Promise<void> } | null = null;
  /** Unsolicited output waiting for the running command to end (never written in the middle of one). */
  private deferred: Array<() => Promise<void> | void> = [];
  private notifyChain: Promise<void> = Promise.resolve();

  constructor(
    socket: Socket,
    readonly ctx: ListenerContext,
    /** The client's address (a TLS socket fed through JS has none of its own). */
    remoteAddress = socket.remoteAddress ?? '',
  ) {
    this.remoteAddress = remoteAddress;
    this.limits = { ...DEFAULT_PROTOCOL_LIMITS, maxAppendSize: ctx.deps.limits.maxMessageSize, ...ctx.deps.limits.protocol };
    this.reader = new CommandReader(this.limits);
    this.transport = new Transport(socket, ctx.secure, { data: (c) => this.onInput(c), close: () => this.onClose() });
    this.writer = new ResponseWriter(
      () => this.transport,
      (err) => this.log.error({ err }, 'literal stream failed; closing the connection'),
    );
  }

  get deps(): ImapDeps {
    return this.ctx.deps;
  }

  /** The session's logger, made on first use: 10,000 quiet IDLE sessions need none. */
  get log(): Logger {
    this.logger ??= this.ctx.logger.child({ cid: this.id, ip: this.remoteAddress });
    return this.logger;
  }

  get tls(): boolean {
    return this.transport.tls;
  }

  get closed(): boolean {
    return this.transport.isClosed;
  }

  /** Mailbox names and quoted strings are UTF-8 (RFC 6855 3, RFC 9051 5.1). */
  get utf8(): boolean {
    return this.enabled.has('UTF8=ACCEPT') || this.enabled.has('IMAP4REV2');
  }

  /** The client speaks IMAP4rev2 (RFC 9051): no \Recent, ESEARCH answers, LIST answers for STATUS... */
  get rev2(): boolean {
    return this.enabled.has('IMAP4REV2');
  }

  get condstore(): boolean {
    return this.enabled.has('CONDSTORE');
  }

  get qresync(): boolean {
    return this.enabled.has('QRESYNC');
  }

  capabilities(): string[] {
    return capabilities({
      authenticated: this.user !== null,
      tls: this.tls,
      starttls: this.ctx.tls !== null,
      loginNeedsTls: this.ctx.loginNeedsTls,
      compressed: this.transport.compressed,
      appendLimit: this.deps.limits.maxMessageSize,
    });
  }

  // ---- lifecycle -------------------------------------------------------------------------

  start(greeting?: { bye: string }): void {
    if (greeting) {
      this.writeRaw(statusLine('*', 'BYE', greeting.bye));
      // Flushed first: the writer buffers, and a refused client should read why (RFC 9051 7.1.5).
      this.writer.flush();
      void this.transport.end();
      return;
    }
    this.writeRaw(statusLine('*', 'OK', `${this.deps.hostname} Heron IMAP ready`, 'CAPABILITY', this.capabilities().join(' ')));
    this.writer.flush();
    this.loop().catch((err: unknown) => {
      this.log.error({ err }, 'imap session loop failed');
      this.transport.destroy();
    });
  }

  private onInput(chunk: Buffer): void {
    this.lastInput = Date.now();
    this.reader.push(chunk);
    if (!this.paused && this.reader.buffered > this.reader.wanted + 64 * 1024) {
      this.paused = true;
      this.transport.pause();
    }
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private onClose(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
    if (this.idling) this.endIdle();
    if (this.user) this.ctx.hub.detach(this.user.id, this);
    this.ctx.sessions.delete(this);
  }

  private waitInput(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.paused) {
      this.paused = false;
      this.transport.resume();
    }
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  // ---- the command loop ------------------------------------------------------------------

  private async loop(): Promise<void> {
    while (!this.closed && this.state !== 'logout') {
      const ev = this.reader.next();
      if (ev.type === 'need-more') {
        this.writer.flush();
        await this.waitInput();
        continue;
      }
      if (ev.type === 'continue') {
        this.reader.accept();
        this.writeRaw('+ Ready for literal data\r\n');
        this.writer.flush();
        continue;
      }
      if (ev.type === 'error') {
        this.deps.metrics.errors.inc({ command: 'parse', code: ev.error.code ?? 'BAD' });
        if (ev.fatal) {
          this.writeRaw(statusLine('*', 'BYE', ev.error.message, ev.error.code));
          await this.close();
          return;
        }
        this.writeRaw(statusLine(ev.tag ?? '*', ev.error.status, ev.error.message, ev.error.code, ev.error.codeData));
        continue;
      }
      const wait = this.ctx.rate.take(this.user ? `u:${this.user.id}` : `ip:${this.remoteAddress}`);
      if (wait > 0) {
        this.writer.flush();
        await new Promise((r) => setTimeout(r, Math.min(wait, 10_000)));
      }
      let cmd: Command;
      try {
        cmd = parseCommand(ev.frame, this.limits);
      } catch (err) {
        if (!(err instanceof CommandError)) throw err;
        this.deps.metrics.errors.inc({ command: err.commandName ?? 'parse', code: err.code ?? 'BAD' });
        // The reason quotes the command near the error: never for commands that carry a password.
        if (err.commandName !== 'LOGIN' && err.commandName !== 'AUTHENTICATE') this.log.info({ command: err.commandName, reason: err.message }, 'imap command not understood');
        this.writeRaw(statusLine(err.tag ?? '*', err.status, err.message, err.code, err.codeData));
        continue;
      }
      await this.execute(cmd);
    }
  }

  private async execute(cmd: Command): Promise<void> {
    const key = cmd.name;
    const spec = this.ctx.registry[key] as CommandSpec | undefined;
    this.deps.metrics.commands.inc({ command: key });
    if (!spec) {
      this.writeRaw(statusLine(cmd.tag, 'BAD', `${key} is not supported`, ImapCodes.clientBug));
      return;
    }
    if (!spec.states.includes(this.state)) {
      this.writeRaw(statusLine(cmd.tag, 'BAD', `${key} is not allowed ${this.state === 'selected' || this.state === 'authenticated' ? 'now' : 'before login'}`));
      return;
    }
    // The account may have been deleted or disabled elsewhere since the last look (issue 9).
    if (this.user && (!(await this.ctx.accountWatch.fresh(this)) || this.state === 'logout')) return;
    // Unsolicited output already under way finishes before the command writes anything.
    await this.notifyChain;
    this.current = cmd;
    this.log.debug({ command: key, tag: cmd.tag }, 'imap command');
    let result: CommandResult | void = undefined;
    let failed: ReturnType<typeof failureOf> | null = null;
    try {
      result = await spec.run(this, cmd as never, this.deps);
    } catch (err) {
      failed = failureOf(err);
      this.deps.metrics.errors.inc({ command: key, code: failed.code ?? failed.status });
      if (failed.expected) this.log.info({ command: key, status: failed.status, code: failed.code, reason: failed.text }, 'imap command refused');
      else this.log.error({ err, command: key }, 'imap command failed');
    }
    if (this.closed) return;
    if (this.state === 'selected' && this.selected) {
      const expunge = spec.expungeAllowed ? spec.expungeAllowed(cmd as never) : true;
      try {
        await this.sendUpdates(expunge);
      } catch (err) {
        this.log.error({ err, command: key }, 'imap update read failed');
      }
    }
    if (this.deferred.length) await this.runDeferred();
    this.current = null;
    if (failed) {
      this.writeRaw(statusLine(cmd.tag, failed.status, failed.text, failed.code, failed.codeData));
      return;
    }
    const r = result ?? {};
    this.writeRaw(statusLine(cmd.tag, 'OK', r.text ?? `${key} completed`, r.code, r.codeData));
    if (r.after) {
      this.writer.flush();
      try {
        await r.after();
      } catch (err) {
        this.log.warn({ err, command: key }, 'imap post-command step failed');
        this.transport.destroy();
      }
    }
  }

  // ---- output ----------------------------------------------------------------------------

  /** Text that is already protocol (a status line, a continuation). */
  writeRaw(text: string): void {
    void this.writer.send([text]);
  }

  /** Queues encoded pieces; await the result when it is a promise (streams, a full batch). */
  send(pieces: Piece[]): Promise<void> | undefined {
    return this.writer.send(pieces);
  }

  /** `* <values>` */
  untagged(...values: ImapValue[]): Promise<void> | undefined {
    return this.writer.send(untagged(values, { utf8: this.utf8 }));
  }

  /** `* OK [CODE data] text` and friends. */
  untaggedStatus(status: 'OK' | 'NO' | 'BAD' | 'BYE', text: string, code?: string, codeData?: string): void {
    this.writeRaw(statusLine('*', status, text, code, codeData));
  }

  flush(): void {
    this.writer.flush();
  }

  /** `+ text` and flush (AUTHENTICATE, IDLE). */
  continuation(text: string): void {
    this.writeRaw(`+ ${text}\r\n`);
    this.writer.flush();
  }

  /** A continuation line from the client (AUTHENTICATE data, IDLE's DONE); null when the connection closed. */
  async readLine(): Promise<Buffer | null> {
    for (;;) {
      if (this.closed) return null;
      const line = this.reader.readLine();
      if (line) return line;
      await this.waitInput();
    }
  }

  // ---- state changes ---------------------------------------------------------------------

  /** LOGIN/AUTHENTICATE succeeded. */
  authenticated(user: User, login: string, appPasswordIds: ReadonlySet<string> | null = null): void {
    this.user = { id: user.id, login, user };
    this.appPasswordIds = appPasswordIds;
    this.state = 'authenticated';
    this.ctx.hub.attach(user.id, this);
  }

  select(mailbox: SelectedMailbox | null): void {
    this.selected = mailbox;
    this.state = mailbox ? 'selected' : this.user ? 'authenticated' : 'not-authenticated';
  }

  beginIdle(): boolean {
    const u = this.user!;
    const max = this.deps.limits;
    if (this.ctx.idleCount(`u:${u.id}`, 1) > max.maxIdlePerUser || this.ctx.idleCount(`ip:${this.remoteAddress}`, 1) > max.maxIdlePerIp) {
      this.ctx.idleCount(`u:${u.id}`, -1);
      this.ctx.idleCount(`ip:${this.remoteAddress}`, -1);
      return false;
    }
    this.idling = true;
    this.lastKeepalive = Date.now();
    this.deps.metrics.idleSessions.inc();
    return true;
  }

  endIdle(): void {
    if (!this.idling) return;
    this.idling = false;
    this.ctx.idleCount(`u:${this.user!.id}`, -1);
    this.ctx.idleCount(`ip:${this.remoteAddress}`, -1);
    this.deps.metrics.idleSessions.dec();
  }

  async startTls(): Promise<void> {
    if (!this.ctx.tls) throw new ImapNo(null, 'TLS is not available here');
    await this.transport.startTls(this.ctx.tls);
  }

  startCompression(): void {
    this.transport.startCompression();
  }

  /** True when more input is already buffered (STARTTLS must be the last command of a pipeline). */
  get inputPending(): boolean {
    return this.reader.buffered > 0;
  }

  /** The account is gone or its credential revoked: `* BYE` and close, whatever the session is doing. */
  revoke(reason: string): void {
    if (this.closed || this.state === 'logout') return;
    this.untaggedStatus('BYE', reason);
    void this.close();
  }

  /** Sends what is queued and closes (LOGOUT, BYE). */
  async close(): Promise<void> {
    this.state = 'logout';
    this.writer.flush();
    await this.transport.end();
  }

  // ---- mailbox names and flags -----------------------------------------------------------

  /** A mailbox name from the client, decoded; `INBOX` in any case is INBOX (RFC 3501 5.1). */
  mailboxName(raw: Buffer): string {
    const name = decodeMailboxName(raw, this.utf8);
    if (name === null) throw new ImapNo(ImapCodes.cannot, 'Mailbox name is not valid modified UTF-7 or UTF-8');
    if (name.length === 5 && name.toUpperCase() === 'INBOX') return 'INBOX';
    if (/^inbox\//i.test(name)) return 'INBOX' + name.slice(5);
    return name;
  }

  /** A mailbox name for the client: modified UTF-7 unless it accepts UTF-8. */
  wireName(name: string): string {
    return encodeMailboxName(name, this.utf8);
  }

  /** FLAGS for one message as this session shows them: \Recent added for IMAP4rev1 clients. */
  flagAtoms(uid: number, flags: readonly string[]): ImapValue[] {
    const out: ImapValue[] = flags.map((f) => atom(f));
    if (!this.rev2 && this.selected?.isRecent(uid)) out.push(atom('\\Recent'));
    return out;
  }

  /**
   * Announces keywords the client has not been told of yet (`* FLAGS`, PERMANENTFLAGS) before a
   * FETCH shows them (RFC 3501 7.2.6).
   */
  announceKeywords(flags: readonly string[]): void {
    const sel = this.selected;
    if (!sel) return;
    let fresh = false;
    for (const f of flags) {
      if (!f.startsWith('\\') && !sel.keywords.has(f)) {
        sel.keywords.add(f);
        fresh = true;
      }
    }
    if (fresh) this.sendFlagsResponses();
  }

  /** `* FLAGS (...)` and `* OK [PERMANENTFLAGS (...)]` for the selected mailbox. */
  sendFlagsResponses(): void {
    const sel = this.selected!;
    const all = [...SYSTEM_FLAGS, ...sel.keywords].map((f) => atom(f));
    void this.untagged(atom('FLAGS'), all);
    const perm = sel.readOnly ? '()' : `(${[...SYSTEM_FLAGS, ...sel.keywords, '\\*'].join(' ')})`;
    this.untaggedStatus('OK', sel.readOnly ? 'No permanent flags permitted' : 'Flags permitted', 'PERMANENTFLAGS', perm);
  }

  // ---- updates from the store ------------------------------------------------------------

  /**
   * Output nobody asked for (NOTIFY): written now when no command is running (or in IDLE), else
   * when the running command has finished its own answer.
   */
  unsolicited(fn: () => Promise<void> | void): void {
    this.deferred.push(fn);
    if (!this.current || this.idling) void this.runDeferred();
  }

  private runDeferred(): Promise<void> {
    const fns = this.deferred.splice(0);
    const run = async (): Promise<void> => {
      for (const f of fns) {
        try {
          await f();
        } catch (err) {
          this.log.error({ err }, 'imap unsolicited update failed');
        }
      }
      this.writer.flush();
    };
    this.notifyChain = this.notifyChain.then(run);
    return this.notifyChain;
  }

  onMailChange(event: ChangeEvent): void {
    if (this.notify) {
      this.notify.onEvent(event).catch((err: unknown) => this.log.error({ err }, 'imap notify failed'));
    }
    const sel = this.selected;
    if (event.type === 'mailbox') {
      if (sel && event.mailboxId === sel.id) {
        if (event.action === 'delete') {
          // RFC 3501 7.1.5: the selected mailbox is gone; nothing sensible is left to serve.
          this.untaggedStatus('BYE', 'Selected mailbox was deleted');
          void this.close();
        } else if (event.action === 'rename') sel.path = event.path;
      }
      return;
    }
    if (!sel || event.mailboxId !== sel.id) return;
    sel.dirty = true;
    if (this.notify?.pushSelected && !this.idling) {
      this.unsolicited(() => this.sendUpdates(!this.current || this.idling));
    } else if (this.idling) {
      this.sendUpdates(true).then(
        () => this.writer.flush(),
        (err: unknown) => this.log.error({ err }, 'imap idle update failed'),
      );
    }
  }

  /**
   * Reads the journal when something changed and sends what may be sent now: EXPUNGE (or
   * VANISHED with QRESYNC, RFC 7162 3.2.10) only when `expunge`, then EXISTS/RECENT, then FETCH
   * for flag changes made by others.
   */
  sendUpdates(expunge: boolean): Promise<void> {
    const run = async (): Promise<void> => {
      const sel = this.selected;
      if (!sel) return;
      if (sel.dirty) await sel.sync(this.deps.mail);
      if (this.selected !== sel) return;
      if (sel.hasPending) {
        const updates = sel.take(expunge);
        for (const f of updates.flags) this.announceKeywords(f.flags);
        const pieces: string[] = [];
        if (updates.expunged.length) for (const w of sel.watchers.values()) pieces.push(...w.expunging(updates.expunged));
        pieces.push(...formatUpdates(this, sel, updates));
        await this.send(pieces);
      }
      // CONTEXT updates (RFC 5267 4.3) once per change, after the change itself is told.
      if (sel.watchers.size && sel.generation !== this.watchedGeneration) {
        this.watchedGeneration = sel.generation;
        for (const w of sel.watchers.values()) {
          const lines = await w.changed();
          if (lines.length) await this.send(lines);
        }
      }
    };
    const next = this.updateChain.then(run, run);
    this.updateChain = next.catch(() => undefined);
    return next;
  }

  /** Turns on CONDSTORE by use (RFC 7162 3.1: a command with MODSEQ, CHANGEDSINCE...). */
  enableCondstore(): void {
    if (this.enabled.has('CONDSTORE')) return;
    this.enabled.add('CONDSTORE');
    // RFC 7162 3.1: enabled while a mailbox is selected, the client is told its HIGHESTMODSEQ.
    if (this.selected) this.untaggedStatus('OK', 'Highest', 'HIGHESTMODSEQ', String(this.selected.highestModseq));
  }
}
