/**
 * The page's only way to the server: same-origin fetches to /v1. The session is an HttpOnly
 * cookie the page never sees; state-changing requests carry the CSRF token the session answered.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSec: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
const unauthorizedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request that needed the session got 401 (expired or revoked elsewhere). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function requestHeaders(method: string, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extra };
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return headers;
}

export function toApiError(status: number, text: string, retryAfter: string | null): ApiError {
  let code = 'http_' + status;
  let message = `request failed (${status})`;
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    /* not JSON */
  }
  const retry = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null;
  return new ApiError(status, code, message, retry);
}

export async function api<T>(method: string, path: string, body?: unknown, opts: { bearer?: string; signal?: AbortSignal; quiet401?: boolean } = {}): Promise<T> {
  const headers = requestHeaders(method, body !== undefined ? { 'Content-Type': 'application/json' } : {});
  if (opts.bearer) headers.Authorization = `Bearer ${opts.bearer}`;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!res.ok) {
    const err = toApiError(res.status, text, res.headers.get('retry-after'));
    if (res.status === 401 && !opts.quiet401) for (const l of unauthorizedListeners) l();
    throw err;
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, signal?: AbortSignal) => api<T>('GET', path, undefined, signal ? { signal } : {});
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = (path: string) => api<void>('DELETE', path);

/** An upload with progress (fetch has no upload progress): XMLHttpRequest, same headers. */
export function upload<T>(path: string, file: File, onProgress: (fraction: number) => void): { promise: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    xhr.open('POST', path);
    for (const [k, v] of Object.entries(requestHeaders('POST', { 'Content-Type': file.type || 'application/octet-stream' }))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText) as T);
      else reject(toApiError(xhr.status, xhr.responseText, xhr.getResponseHeader('retry-after')));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload failed (network)'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'upload cancelled'));
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}

/** A user-facing sentence for any failure. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.message.charAt(0).toUpperCase() + err.message.slice(1);
  if (err instanceof Error && err.name === 'AbortError') return 'Cancelled.';
  return 'Something went wrong. Check your connection and try again.';
}
