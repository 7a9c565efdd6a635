/**
 * The typed edge of WildDuck's imap-core (npm `wildduck` 1.46.1, loaded by subpath only).
 * imap-core calls hooks with Node-style callbacks; `bindHook` lets every handler here be an async
 * function and guarantees exactly one callback: a throw or rejection becomes a tagged `NO` with a
 * response code (imap-core sends `NO [CODE]` when a hook answers with a string), never a hang.
 */
import type { Logger } from 'pino';
import { loadImapCore, loadImapCoreModule, loadWildduckModule } from '../mail/message-codec/wildduck-modules.js';
import { imapCodeFor, type ImapCode } from './response-codes.js';
import type { ImapCallback, ImapCoreServer, ImapHandler, ImapSession } from './types.js';
import type { ImapMetrics } from './metrics.js';

type IMAPServerCtor = new (options: Record<string, unknown>) => ImapCoreServer;

export function loadImapServerClass(): IMAPServerCtor {
  return (loadImapCore() as { IMAPServer: IMAPServerCtor }).IMAPServer;
}

export function loadImapHandler(): ImapHandler {
  return loadImapCoreModule('lib/handler/imap-handler') as ImapHandler;
}

/**
 * wildduck's lib/errors keeps one process-wide GELF handler that prints protocol errors (BAD
 * commands, parser errors) to stderr. It is pointed at our logger instead; with two listeners
 * the later one's logger is used, which only changes a `component` field.
 */
export function routeImapCoreErrors(logger: Logger): void {
  const errors = loadWildduckModule('lib/errors.js') as { setGelf(handler: { emit(channel: string, message: Record<string, unknown>): void }): void };
  errors.setGelf({
    emit: (_channel, message) => {
      logger.info({ event: 'protocol_error', cid: message['_cid'] ?? message['_sess'], error: message['_error'], code: message['_code'] }, String(message['short_message'] ?? 'imap protocol error'));
    },
  });
}

export interface ImapTools {
  packMessageRange(uids: number[]): string;
  getQueryResponse(query: unknown[], message: unknown, options?: unknown): unknown[];
}

export function loadImapTools(): ImapTools {
  return loadImapCoreModule('lib/imap-tools') as ImapTools;
}

export interface BindContext {
  logger: Logger;
  metrics: ImapMetrics;
}

/**
 * `impl` resolves to the callback's results after the error slot. What a failed hook answers: most hooks take a code string as the result (`NO [CODE]`); a few
 * (SEARCH, LIST) need another shape, given by `onError`.
 */
export function bindHook<A extends unknown[]>(
  ctx: BindContext,
  name: string,
  impl: (...args: [...A, ImapSession]) => Promise<unknown[]>,
  onError: (code: ImapCode, err: unknown) => unknown[] = (code) => [null, code],
): (...args: unknown[]) => void {
  return (...args: unknown[]) => {
    const callback = args.pop() as ImapCallback;
    const session = args[args.length - 1] as ImapSession;
    let done = false;
    const finish = (result: unknown[]): void => {
      if (done) return;
      done = true;
      try {
        (callback as (...r: unknown[]) => void)(...result);
      } catch (err) {
        ctx.logger.error({ err, hook: name, cid: session?.id }, 'imap hook callback threw');
      }
    };
    ctx.metrics.commands.inc({ hook: name });
    let promise: Promise<unknown[]>;
    try {
      promise = impl(...(args as [...A, ImapSession]));
    } catch (err) {
      promise = Promise.reject(err);
    }
    promise.then((results) => finish([null, ...results]), (err: unknown) => {
      const { code, expected } = imapCodeFor(err);
      ctx.metrics.errors.inc({ hook: name, code });
      if (expected) ctx.logger.info({ hook: name, cid: session?.id, code, msg2: (err as Error)?.message }, 'imap hook refused');
      else ctx.logger.error({ err, hook: name, cid: session?.id }, 'imap hook failed');
      finish(onError(code, err));
    });
  };
}
