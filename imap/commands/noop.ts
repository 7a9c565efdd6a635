import type { CommandSpec } from '../session/command-spec.js';
import { ANY, SELECTED } from './states.js';

/** NOOP (RFC 3501 6.1.2): does nothing; the session sends pending mailbox updates after it. */
export const noop: CommandSpec<'NOOP'> = {
  states: ANY,
  async run() {},
};

/** CHECK (RFC 3501 6.4.1): every change is already durable, so it is a NOOP (as RFC 9051 made it). */
export const check: CommandSpec<'CHECK'> = {
  states: SELECTED,
  async run() {},
};
