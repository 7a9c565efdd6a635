import type { SMTPServerSession } from 'smtp-server';
import type { SessionInfo } from '../../domain/index.js';

/** The protocol-neutral view of an smtp-server session that checks and delivery see. */
export function sessionInfo(session: SMTPServerSession): SessionInfo {
  return {
    id: session.id,
    remoteAddress: session.remoteAddress,
    clientHostname: session.clientHostname || `[${session.remoteAddress}]`,
    heloName: session.hostNameAppearsAs || '',
    secure: session.secure,
  };
}
