import type { Middleware } from 'koa';
import { ApiError } from './api-error.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** How much of an oversized body is read and thrown away before the connection is cut. */
const DISCARD_FACTOR = 16;

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
      throw tooLarge(limit, Number(len) > DISCARD_FACTOR * limit);
    }
    if (len === '0') return next();
    if (!ctx.is('application/json', '+json')) {
      drain(ctx.req);
      throw new ApiError(415, 'unsupported_media_type', 'request bodies must be application/json');
    }
    // Events, not for-await: leaving a for-await loop early destroys the request (and with it
    // the socket), and the client would get a reset instead of the 413.
    const chunks = await readCapped(ctx.req, limit);
    if (chunks === null) throw tooLarge(limit, false);
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

/** The body's chunks, or null once it passed `limit` (the rest is then read and discarded, bounded). */
function readCapped(req: import('node:http').IncomingMessage, limit: number): Promise<Buffer[] | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Read on and discard, so a client still sending sees the 413 rather than a reset;
      // past DISCARD_FACTOR x limit the socket is cut (an endless body must not be read forever).
      cleanup();
      drainBounded(req, DISCARD_FACTOR * limit - size);
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

function drainBounded(req: import('node:http').IncomingMessage, budget: number): void {
  let left = budget;
  req.on('data', (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) req.socket.destroy();
  });
  req.resume();
}
