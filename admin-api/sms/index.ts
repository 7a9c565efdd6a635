import type { Logger } from 'pino';
import type { SmsMessage, SmsSender } from '../../domain/sms.js';
import { createLogSmsProvider } from './log-provider.js';
import { createWebhookSmsProvider } from './webhook-provider.js';
import { createTwilioSmsProvider, type TwilioOptions } from './twilio-provider.js';

export { DEFAULT_SMS_TEMPLATES, renderTemplate, type SmsTemplateName } from './templates.js';

export interface SmsOptions {
  provider: 'log' | 'webhook' | 'twilio';
  logger: Logger;
  webhookUrl?: string;
  twilio?: TwilioOptions;
  /** Attempts per message (default 3) with a short backoff between them. */
  attempts?: number;
  backoffMs?: number;
}

/**
 * The configured provider behind a retrying wrapper. `send` rejects only after the last attempt
 * failed; callers log and carry on (an SMS outage must not fail the request: the user can resend).
 * The text is never logged by the wrapper: it holds the code.
 */
export function createSmsSender(opts: SmsOptions): SmsSender {
  const provider = pick(opts);
  const attempts = Math.max(1, opts.attempts ?? 3);
  const backoff = opts.backoffMs ?? 250;
  return {
    async send(m: SmsMessage) {
      for (let i = 1; ; i++) {
        try {
          await provider.send(m);
          return;
        } catch (err) {
          opts.logger.warn({ err: (err as Error).message, attempt: i, userId: m.userId, template: m.template }, 'sms delivery failed');
          if (i >= attempts) throw err;
          await new Promise((r) => setTimeout(r, backoff * i));
        }
      }
    },
  };
}

function pick(opts: SmsOptions): SmsSender {
  switch (opts.provider) {
    case 'log':
      return createLogSmsProvider(opts.logger);
    case 'webhook':
      if (!opts.webhookUrl) throw new Error('sms provider webhook needs webhookUrl (HERON_SMS_WEBHOOK_URL)');
      return createWebhookSmsProvider({ url: opts.webhookUrl });
    case 'twilio':
      if (!opts.twilio) throw new Error('sms provider twilio needs accountSid, authToken and from');
      return createTwilioSmsProvider(opts.twilio);
  }
}
