/**
 * An error that is an HTTP answer: status plus the machine-readable code of the body
 * `{"error": {"code", "message"}}` (CONTRACT.md). Everything else thrown in a handler is a 500.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  readonly details?: unknown;
  constructor(status: number, code: string, message: string, opts: { headers?: Record<string, string>; details?: unknown } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.headers = opts.headers ?? {};
    this.details = opts.details;
  }
}

export function errorBody(code: string, message: string, details?: unknown): { error: { code: string; message: string; details?: unknown } } {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

export const unauthorized = (message = 'authentication required') => new ApiError(401, 'unauthorized', message, { headers: { 'WWW-Authenticate': 'Bearer' } });
export const notFound = (what = 'resource') => new ApiError(404, 'not_found', `${what} not found`);
