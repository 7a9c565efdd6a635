import type { CommandSpec } from '../session/command-spec.js';
import { atom } from '../protocol/values.js';
import { MAILBOX_DELIMITER } from '../../domain/index.js';
import { AUTHENTICATED } from './states.js';

/** NAMESPACE (RFC 2342): one personal namespace, no prefix; no shared or other users' folders. */
export const namespace: CommandSpec<'NAMESPACE'> = {
  states: AUTHENTICATED,
  async run(session) {
    await session.untagged(atom('NAMESPACE'), [['', MAILBOX_DELIMITER]], null, null);
  },
};
