import type { Middleware } from 'koa';
import { ApiError } from './api-error.js';
import { lingerClose } from './linger-close.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Reads a JSON request body into ctx.state.body with a hard size cap. The cap is checked on
 * Content-Length first and again while streaming (chunked bodies), so an oversized upload is
 * refused without being buffered.
 */
export function jsonBody(limit = DEFAULT_BODY_LIMIT, rawPaths: RegExp[] = []): Middleware {
  return async (ctx, next) => {
    // Uploads: the route streams the body with its own (larger) cap.
    if (rawPaths.some((re) => re.test(ctx.path)) && !ctx.is('application/json', '+json')) return next();
    const len = ctx.get('content-length');
    const chunked = /chunked/i.test(ctx.get('transfer-encoding'));
    if (!len && !chunked) return next();
    if (len && !(Number(len) <= limit)) {
      lingerClose(ctx.req, ctx.res);
      throw tooLarge(limit);
    }
    if (len === '0') return next();
    if (!ctx.is('application/json', '+json')) {
      lingerClose(ctx.req, ctx.res);
      throw new ApiError(415, 'unsupported_media_type', 'request bodies must be application/json');
    }
    // Events, not for-await: leaving a for-await loop early destroys the request (and with it
    // the socket), and the client would get a reset instead of the 413.
    const chunks = await readCapped(ctx.req, limit);
    if (chunks === null) {
      lingerClose(ctx.req, ctx.res);
      throw tooLarge(limit);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return next();
    try {
      ctx.state.body = JSON.parse(text) as unknown;
    } catch {
      throw new ApiError(400, 'invalid_json', 'request body is not valid JSON');
    }
    await next();
  };
}

/** 413 with Connection: close; lingerClose makes sure the client gets to read it. */
function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'payload_too_large', `request body over ${limit} bytes`);
}

/** The body's chunks, or null once it passed `limit` (the caller then lingers over the rest). */
export function readCapped(req: import('node:http').IncomingMessage, limit: number): Promise<Buffer[] | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      resolve(null);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
  });
}
