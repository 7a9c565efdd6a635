import type { Middleware } from 'koa';
import { ApiError } from './api-error.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Reads a JSON request body into ctx.state.body with a hard size cap. The cap is checked on
 * Content-Length first and again while streaming (chunked bodies), so an oversized upload is
 * refused without being buffered.
 */
export function jsonBody(limit = DEFAULT_BODY_LIMIT): Middleware {
  return async (ctx, next) => {
    const len = ctx.get('content-length');
    const chunked = /chunked/i.test(ctx.get('transfer-encoding'));
    if (!len && !chunked) return next();
    if (len && Number(len) > limit) {
      drain(ctx.req);
      throw tooLarge(limit, Number(len) > 16 * limit);
    }
    if (len === '0') return next();
    if (!ctx.is('application/json', '+json')) {
      drain(ctx.req);
      throw new ApiError(415, 'unsupported_media_type', 'request bodies must be application/json');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        drain(ctx.req);
        throw tooLarge(limit, true);
      }
      chunks.push(chunk);
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

/**
 * A moderately oversized body is read and discarded so the client sees the 413 instead of a reset;
 * a huge or unbounded one gets Connection: close so we stop reading it.
 */
function tooLarge(limit: number, close: boolean): ApiError {
  return new ApiError(413, 'payload_too_large', `request body over ${limit} bytes`, close ? { headers: { Connection: 'close' } } : {});
}

function drain(req: NodeJS.ReadableStream): void {
  req.resume();
}
