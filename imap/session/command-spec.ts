/**
 * The command interface: one file per command in imap/commands/ exports a CommandSpec; the
 * registry (imap/commands/index.ts) maps command names to them; the session runs them one at a
 * time, each fenced (an exception answers that command only, never the process).
 */
import type { Command, CommandName } from '../protocol/commands.js';
import type { ImapDeps } from './deps.js';
import type { Session, SessionState } from './session.js';

export interface CommandResult {
  /** Response code of the tagged OK, e.g. `APPENDUID` with codeData `38505 3955`. */
  code?: string;
  codeData?: string;
  text?: string;
  /** Runs after the tagged OK is written and flushed (STARTTLS, COMPRESS, LOGOUT). */
  after?: () => Promise<void> | void;
}

/** The command variant(s) whose name is N. */
export type CommandOf<N extends CommandName> = Command extends infer C ? (C extends { name: infer M } ? (N extends M ? C : never) : never) : never;

export interface CommandSpec<N extends CommandName = CommandName> {
  /** States the command is valid in; otherwise `BAD` (RFC 3501 3). */
  states: readonly SessionState[];
  /**
   * May pending EXPUNGEs be announced when this command ends? Not after FETCH, STORE, SEARCH
   * (and COPY, MOVE, SORT, THREAD) by sequence number: RFC 3501 7.4.1, RFC 9051 7.5.1.
   */
  expungeAllowed?: (cmd: CommandOf<N>) => boolean;
  run(session: Session, cmd: CommandOf<N>, deps: ImapDeps): Promise<CommandResult | void>;
}

export type CommandRegistry = { [N in CommandName]?: CommandSpec<N> };
