/**
 * SMTP replies as named constants, shared by the servers and the tests (RFC 5321 section 4.2,
 * enhanced status codes RFC 3463).
 */
export interface SmtpReply {
  code: number;
  enhanced: string;
  message: string;
}

export const SmtpReplies = {
  ok: { code: 250, enhanced: '2.0.0', message: 'OK' },
  unknownUser: { code: 550, enhanced: '5.1.1', message: 'Unknown local user' },
  relayDenied: { code: 554, enhanced: '5.7.1', message: 'Relay access denied' },
  mailboxFull: { code: 452, enhanced: '4.2.2', message: 'Mailbox full' },
  messageTooBig: { code: 552, enhanced: '5.3.4', message: 'Message size exceeds fixed limit' },
  tooManyRecipients: { code: 452, enhanced: '4.5.3', message: 'Too many recipients' },
  tempFailure: { code: 451, enhanced: '4.3.0', message: 'Temporary local problem, try again later' },
  filterUnavailable: { code: 451, enhanced: '4.7.0', message: 'Content checks unavailable, try again later' },
  policyReject: { code: 550, enhanced: '5.7.1', message: 'Message rejected by policy' },
  virusFound: { code: 554, enhanced: '5.7.1', message: 'Message contains a virus' },
  greylisted: { code: 451, enhanced: '4.7.1', message: 'Try again later' },
  badSender: { code: 553, enhanced: '5.7.1', message: 'Sender address not owned by authenticated user' },
  authRequired: { code: 530, enhanced: '5.7.0', message: 'Authentication required' },
  tooManyConnections: { code: 421, enhanced: '4.7.0', message: 'Too many connections, try again later' },
  badRecipientSyntax: { code: 501, enhanced: '5.1.3', message: 'Bad recipient address syntax' },
  mailboxDisabled: { code: 550, enhanced: '5.2.1', message: 'Mailbox disabled' },
  tooManyBadRecipients: { code: 421, enhanced: '4.7.0', message: 'Too many invalid recipients, closing connection' },
  headerTooBig: { code: 552, enhanced: '5.3.4', message: 'Message header size exceeds limit' },
  malformedMessage: { code: 554, enhanced: '5.6.0', message: 'Message structure could not be processed' },
  /** RFC 3463 X.3.2 "system not accepting network messages": the parse pool's queue is full. */
  systemBusy: { code: 451, enhanced: '4.3.2', message: 'System busy, try again later' },
} as const satisfies Record<string, SmtpReply>;

/** An error carrying an SMTP reply; smtp-server sends `responseCode` and the message as is. */
export class SmtpError extends Error {
  readonly reply: SmtpReply;
  constructor(reply: SmtpReply, message?: string) {
    super(message ?? reply.message);
    this.name = 'SmtpError';
    this.reply = { ...reply, message: message ?? reply.message };
  }
}
