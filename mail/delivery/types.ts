import type {
  AppendResult,
  BlobStore,
  CheckRecipient,
  Envelope,
  PreparedMessage,
  SessionInfo,
  SmtpReply,
  Verdict,
} from '../../domain/index.js';

/** One inbound message, already spooled, with its recipients resolved to users. */
export interface DeliveryInput {
  queueId: string;
  envelope: Envelope;
  session: SessionInfo;
  recipients: CheckRecipient[];
  /** The message as received: in memory when small (`raw`), else in a spool file (`spoolPath`). */
  raw?: Buffer;
  spoolPath?: string;
  size: number;
  /** RFC 3848 `with` keyword for Received (ESMTP, ESMTPS, ESMTPSA...). Defaults from the session. */
  transmissionType?: string;
}

export interface DeliveryOutcome {
  /** What to answer the client: 250 only once the store committed. */
  reply: SmtpReply;
  results?: AppendResult[];
  verdicts?: Verdict[];
}

export interface DeliveryPipeline {
  deliver(input: DeliveryInput): Promise<DeliveryOutcome>;
}

/** mail/mime's prepareMessage, injected so the pipeline does not fix the parser. */
export type PrepareMessage = (raw: Buffer, blobs: BlobStore) => Promise<PreparedMessage>;

export type FilterFailurePolicy = 'tempfail' | 'accept';
