import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { ApiError, errorBody } from './api-error.js';
import { isStoreError, type StoreErrorCode } from '../domain/errors.js';

/** Store errors that reach this far are about the request, not about us. */
const STORE_STATUS: Record<StoreErrorCode, [number, string]> = {
  not_found: [404, 'not_found'],
  already_exists: [409, 'already_exists'],
  invalid: [400, 'invalid_request'],
  quota_exceeded: [422, 'quota_exceeded'],
  conflict: [409, 'conflict'],
  cannot_delete: [409, 'cannot_delete'],
  nonexistent_parent: [404, 'not_found'],
};

/** Status codes koa and its parsers raise themselves, mapped to our error codes. */
const HTTP_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** Outermost handler: every failure becomes the JSON error body; only our own bugs are a 500. */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = errorBody('not_found', 'no such route');
      }
    } catch (err) {
      if (err instanceof ApiError) {
        ctx.status = err.status;
        ctx.set(err.headers);
        ctx.body = errorBody(err.code, err.message, err.details);
        return;
      }
      if (isStoreError(err)) {
        const [status, code] = STORE_STATUS[err.code];
        ctx.status = status;
        ctx.body = errorBody(code, err.message);
        return;
      }
      const status = (err as { status?: unknown; expose?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        ctx.status = status;
        ctx.body = errorBody(HTTP_CODES[status] ?? 'bad_request', (err as Error).message);
        return;
      }
      logger.error({ err, reqId: ctx.state.requestId, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.body = errorBody('internal', 'internal error');
    }
  };
}
