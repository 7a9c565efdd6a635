import type { Logger } from 'pino';
import type { SmsMessage, SmsSender } from '../../domain/sms.js';

/** Development provider: the text (with the code) goes to the server log, so `npm start` works without a carrier. */
export function createLogSmsProvider(logger: Logger): SmsSender {
  return {
    async send(m: SmsMessage) {
      logger.info({ sms: { to: m.to, template: m.template, userId: m.userId, text: m.text } }, 'sms (log provider)');
    },
  };
}
