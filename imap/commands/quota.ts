/**
 * QUOTA (RFC 9208): one root, "", per account, holding its STORAGE (in KiB on the wire). An
 * account without a limit has no quota root. Limits are set by the administrator, not by IMAP.
 */
import { atom } from '../protocol/values.js';
import type { CommandSpec } from '../session/command-spec.js';
import type { ImapDeps } from '../session/deps.js';
import { ImapCodes, ImapNo } from '../session/imap-error.js';
import type { Session } from '../session/session.js';
import { findMailbox, userIdOf } from './mailbox-names.js';
import { AUTHENTICATED } from './states.js';

async function sendQuota(session: Session, deps: ImapDeps): Promise<boolean> {
  const q = await deps.mail.getQuota(userIdOf(session));
  if (!q.limit) return false;
  await session.untagged(atom('QUOTA'), '', [atom('STORAGE'), Math.ceil(q.used / 1024), Math.floor(q.limit / 1024)]);
  return true;
}

export const getquotaroot: CommandSpec<'GETQUOTAROOT'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    const box = await findMailbox(session, deps, cmd.mailbox);
    const q = await deps.mail.getQuota(userIdOf(session));
    const name = session.wireName(box.path);
    if (!q.limit) {
      await session.untagged(atom('QUOTAROOT'), name);
      return;
    }
    await session.untagged(atom('QUOTAROOT'), name, '');
    await sendQuota(session, deps);
  },
};

export const getquota: CommandSpec<'GETQUOTA'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    if (cmd.root !== '' || !(await sendQuota(session, deps))) throw new ImapNo(ImapCodes.nonexistent, 'No such quota root');
  },
};

export const setquota: CommandSpec<'SETQUOTA'> = {
  states: AUTHENTICATED,
  async run() {
    throw new ImapNo(ImapCodes.noPerm, 'Quotas are set by the administrator');
  },
};
