import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { BlobStore, MailStore, PreparedMessage, SecurityNotifier } from '../domain/index.js';

const TEXT = {
  second_factor_locked: (ip: string, until: Date) =>
    `Someone who knows your password entered wrong second-factor codes many times (last from ${ip}).\r\n` +
    `Login with SMS or authenticator codes is locked until ${until.toISOString()}.\r\n` +
    'If this was not you, change your password now.',
  login_locked: (ip: string, until: Date) =>
    `There were many failed login attempts on your account (last from ${ip}).\r\n` +
    `Logins are paused until ${until.toISOString()}. If this was not you, consider changing your password.`,
} as const;

/** Security notices as a plain message in the user's INBOX: free, unlike an SMS an attacker could make us send. */
export function createInboxNotifier(opts: {
  mail: MailStore;
  blobs: BlobStore;
  prepareMessage: (raw: Buffer, blobs: BlobStore) => Promise<PreparedMessage>;
  hostname: string;
  logger: Logger;
}): SecurityNotifier {
  return {
    async notify(user, event) {
      try {
        const raw = Buffer.from(
          [
            `From: Heron security <postmaster@${opts.hostname}>`,
            `To: <${user.address}>`,
            `Subject: Security alert: ${event.kind === 'second_factor_locked' ? 'second-factor login locked' : 'logins paused'}`,
            `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
            `Message-ID: <security.${randomBytes(10).toString('hex')}@${opts.hostname}>`,
            'Auto-Submitted: auto-generated',
            'MIME-Version: 1.0',
            'Content-Type: text/plain; charset=utf-8',
            '',
            TEXT[event.kind](event.ip, event.until),
            '',
          ].join('\r\n'),
          'utf8',
        );
        const prepared = await opts.prepareMessage(raw, opts.blobs);
        await opts.mail.deliver(prepared, [{ userId: user.id, mailbox: { specialUse: '\\Inbox' } }]);
      } catch (err) {
        opts.logger.error({ err, userId: user.id, kind: event.kind }, 'security notice not delivered');
      }
    },
  };
}
