import type { Logger } from 'pino';
import type { SMTPServerError } from 'smtp-server';
import { SmtpError, SmtpReplies } from '../../domain/index.js';
import { smtpServerError } from './smtp-error.js';

/**
 * Adapts an async hook to smtp-server's callback style. An SmtpError becomes its reply; any
 * other failure is logged and answered 451 4.3.0, so a store hiccup never hangs or kills a
 * session and never turns into a 5xx that would make the sender bounce the mail.
 */
export function callbackHandler<A extends unknown[]>(
  logger: Logger,
  hook: string,
  fn: (...args: A) => Promise<void>,
): (...args: [...A, (err?: SMTPServerError | null) => void]) => void {
  return (...args) => {
    const callback = args[args.length - 1] as (err?: SMTPServerError | null) => void;
    fn(...(args.slice(0, -1) as A)).then(
      () => callback(),
      (err: unknown) => {
        if (err instanceof SmtpError) return callback(smtpServerError(err.reply));
        logger.error({ err, hook }, 'smtp hook failed');
        callback(smtpServerError(SmtpReplies.tempFailure));
      },
    );
  };
}
