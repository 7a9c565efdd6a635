import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import type { Context, Middleware } from 'koa';

/**
 * The built single-page app (web/, built by Vite into dist/web) served at `/`, same origin as
 * `/v1`. Files are read once at start-up and kept in memory with their compressed forms: the
 * whole app is a few hundred kilobytes. Vite names assets by content hash, so `/assets/*` is
 * cacheable for a year; index.html is revalidated on every load so a new build is picked up.
 */

/**
 * No inline script or style, nothing from elsewhere, never framed. Message bodies are shown in a
 * sandboxed frame served by the API with a policy of its own (admin-api/routes/message-frame.ts).
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "media-src 'none'",
  "object-src 'none'",
  "worker-src 'none'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  // DOM XSS sinks (innerHTML, script URLs, eval) take no plain strings: the app never uses them.
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** Headers every page of the app carries (clickjacking, sniffing, referrer leaks, opener access). */
export const WEB_APP_HEADERS: Record<string, string> = {
  'Content-Security-Policy': WEB_APP_CSP,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json', '.webmanifest', '.txt']);

interface StaticFile {
  body: Buffer;
  br: Buffer | null;
  gzip: Buffer | null;
  type: string;
  etag: string;
  cacheControl: string;
}

const MAX_FILES = 500;
const MAX_BYTES = 50 * 1024 * 1024;

function loadFiles(root: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  let total = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const st = statSync(full);
      if (st.isDirectory()) {
        walk(full);
        continue;
      }
      const ext = extname(name).toLowerCase();
      const type = TYPES[ext];
      if (!type || name.startsWith('.')) continue;
      total += st.size;
      if (files.size >= MAX_FILES || total > MAX_BYTES) throw new Error(`web app in ${root} is larger than ${MAX_FILES} files / ${MAX_BYTES} bytes`);
      const body = readFileSync(full);
      const urlPath = '/' + relative(root, full).split(sep).join('/');
      const compress = COMPRESSIBLE.has(ext) && body.length > 512;
      files.set(urlPath, {
        body,
        br: compress ? brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }) : null,
        gzip: compress ? gzipSync(body, { level: 9 }) : null,
        type,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        cacheControl: urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
    }
  };
  walk(root);
  return files;
}

/** Paths the app never owns: the API, metrics and the well-known documents fall through. */
const NOT_APP = /^\/(v1|metrics|\.well-known|autodiscover|mail\/config-v1\.1\.xml)(\/|$)/i;

export interface WebApp {
  middleware(): Middleware;
  /** Number of files served (0: not built). */
  readonly size: number;
}

/**
 * `root` is the Vite output directory. If it has no index.html the app answers 503
 * `web_app_not_built` at `/` (and the API keeps working), so a missing build is obvious.
 */
export function createWebApp(root: string): WebApp {
  const files = existsSync(join(root, 'index.html')) ? loadFiles(root) : new Map<string, StaticFile>();
  const index = files.get('/index.html');

  const send = (ctx: Context, f: StaticFile) => {
    ctx.state.service = 'web';
    ctx.set(WEB_APP_HEADERS);
    ctx.set('Cache-Control', f.cacheControl);
    ctx.set('ETag', f.etag);
    ctx.vary('Accept-Encoding');
    ctx.type = f.type;
    if (ctx.get('if-none-match') === f.etag) {
      ctx.status = 304;
      return;
    }
    const enc = f.br || f.gzip ? ctx.acceptsEncodings('br', 'gzip', 'identity') : 'identity';
    const body = enc === 'br' && f.br ? f.br : enc === 'gzip' && f.gzip ? f.gzip : f.body;
    if (body !== f.body) ctx.set('Content-Encoding', enc as string);
    ctx.status = 200;
    ctx.body = ctx.method === 'HEAD' ? null : body;
    ctx.length = body.length;
  };

  return {
    size: files.size,
    middleware() {
      return async (ctx, next) => {
        if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || NOT_APP.test(ctx.path)) return next();
        const file = files.get(ctx.path);
        if (file) return send(ctx, file);
        // Client-side routes (/mail/..., /settings) get the app; a missing asset stays a 404.
        const isRoute = !ctx.path.startsWith('/assets/') && !/\.[a-z0-9]{1,8}$/i.test(ctx.path) && ctx.path.length <= 1024;
        if (!isRoute) return next();
        if (index) return send(ctx, index);
        ctx.state.service = 'web';
        ctx.status = 503;
        ctx.set(WEB_APP_HEADERS);
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = 'web_app_not_built: the web app has not been built; run `npm run build` (npm ci does it).\n';
      };
    },
  };
}
