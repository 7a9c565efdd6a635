import type { Logger } from 'pino';
import type { UserStore } from '../domain/user.js';
import type { MailStore } from '../domain/mail-store.js';
import type { BlobStore } from '../domain/blob-store.js';
import type { AccountStore } from '../domain/account-store.js';
import type { SmsSender } from '../domain/sms.js';
import type { Clock } from '../domain/clock.js';
import type { MoveObserver } from '../domain/training.js';
import type { PreparedMessage } from '../domain/message.js';
import type { CheckRecipient, Envelope } from '../domain/index.js';
import type { User } from '../domain/user.js';
import type { TokenVerifier, LimiterFactory, Limiter, CookieSession } from '../gateway/index.js';
import type { Notifier } from '../domain/changes.js';
import type { SmsTemplateName } from './sms/index.js';
import type { LoginPolicy } from '../domain/login-policy.js';
import type { AccountDeletion } from '../domain/account-deletion.js';
import type { SmsGuard } from '../auth/sms-guard.js';

/** Local delivery of a composed message (the lead wires mail/delivery's pipeline here). */
export type LocalDeliver = (input: { sender: User; envelope: Envelope; raw: Buffer; recipients: CheckRecipient[] }) => Promise<void>;
/**
 * The MSA (smtp/submission's Submitter.submitMessage): sender ownership, DKIM, local delivery,
 * remote recipients into the outbound queue, Sent copy. Throws SmtpError on refusal.
 */
export type SubmitMessage = (input: { user: { id: string; address: string }; envelope: Envelope; raw: Buffer }) => Promise<{
  messageId: string;
  queued: string[];
  delivered: string[];
}>;
/** mail/mime's prepareMessage. */
export type PrepareMessage = (raw: Buffer, blobs: BlobStore) => Promise<PreparedMessage>;

export interface OtpSettings {
  ttlMs: number;
  maxAttempts: number;
  resendCooldownMs: number;
}

/** Everything a route module needs; built once in createApiServer. */
export interface ApiDeps {
  users: UserStore;
  mail: MailStore;
  accounts: AccountStore;
  blobs: BlobStore;
  sms: SmsSender;
  tokens: TokenVerifier;
  limiters: LimiterFactory;
  /** Wrong TOTP codes while enabling or disabling TOTP, per user. */
  loginFailures: Limiter;
  loginFailuresPerIp: Limiter;
  /** Every login decision (auth/): throttling, second factor, audit. */
  loginPolicy: LoginPolicy;
  /** SMS spend limits and registrations per IP (auth/). */
  smsGuard: SmsGuard;
  /** The one way an account is deleted (accounts/). */
  deletion: AccountDeletion;
  deliver?: LocalDeliver;
  submit?: SubmitMessage;
  prepare?: PrepareMessage;
  moveObserver?: MoveObserver;
  wakeQueue?: () => void;
  /** The web app's cookie session (set and cleared by routes/web-session.ts). */
  session: CookieSession;
  /** Store change events, for the web app's event stream (routes/events.ts). */
  notifier?: Notifier;
  /** Largest attachment upload (drafts) in bytes. */
  maxUploadBytes: number;
  primaryDomain: string;
  logger: Logger;
  clock: Clock;
  otp: OtpSettings;
  smsTemplates: Record<SmsTemplateName, string>;
  /** Sends an SMS without ever failing the request. */
  sendSms(user: { id: string; phone: string | null; firstName: string }, template: SmsTemplateName, code: string): Promise<void>;
}
