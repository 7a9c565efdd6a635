import type { EnvelopeAddress, MessageEnvelope } from '../../domain/index.js';
import { run, type ImapValue } from '../protocol/values.js';

/**
 * ENVELOPE (RFC 3501 7.4.2, RFC 9051 7.5.2): NIL for absent fields; Sender and Reply-To, when
 * absent or empty, are the From list (the RFC makes this the server's job); groups as the
 * start/end address pairs the stored envelope already holds.
 */
export function envelopeValue(env: MessageEnvelope): ImapValue {
  const from = addressList(env.from);
  return [
    env.date,
    env.subject,
    from,
    addressList(env.sender) ?? from,
    addressList(env.replyTo) ?? from,
    addressList(env.to),
    addressList(env.cc),
    addressList(env.bcc),
    env.inReplyTo,
    env.messageId,
  ];
}

/** `"(" 1*address ")"` (RFC 3501 env-from etc.): the addresses go back to back, no space. */
function addressList(list: EnvelopeAddress[] | null): ImapValue[] | null {
  if (!list || list.length === 0) return null;
  return [run(list.map((a) => [a.name, a.adl, a.mailbox, a.host]))];
}
