import Router from '@koa/router';
import { z } from 'zod';
import { notFound } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import { messageHtmlCsp, sanitizeMessageHtml } from '../html/sanitize.js';
import { readMessageContent } from '../message-content.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute, RawReply } from '../route.js';

const FrameQuery = z.object({ images: z.enum(['block', 'allow']).default('block') });

/** Mail is written for a white page; links open outside the app. */
const FRAME_STYLE =
  ':root{color-scheme:light}body{margin:0;padding:12px 16px;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f1f1f;background:#fff;overflow-wrap:anywhere}' +
  'img{max-width:100%;height:auto}table{max-width:100%}pre{white-space:pre-wrap}blockquote{margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex}';

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * GET /v1/messages/:id/frame: the sanitised HTML body as a document of its own, for the web
 * app's reading view (`<iframe sandbox src=...>`). `cid:` images point at this message's parts.
 */
export function messageFrameRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/messages/:id/frame', summary: 'The sanitised HTML body as a sandboxed document (remote images only with images=allow)', auth: 'user',
    query: FrameQuery, errors: [[404, 'not_found']], produces: 'text/html',
    async handler({ user, params, query }) {
      const m = await readMessageContent(deps, user.id, params.id!);
      if (!m) throw notFound('message');
      const allow = query.images === 'allow';
      const byCid = new Map<string, number>();
      m.attachments.forEach((a, i) => {
        if (a.contentId) byCid.set(a.contentId.replace(/^<|>$/g, '').toLowerCase(), i);
      });
      const body = sanitizeMessageHtml(m.html, { remoteImages: allow ? 'allow' : 'block' }).replace(/ src="cid:([^"]*)"/gi, (_, cid: string) => {
        let key = cid;
        try {
          key = decodeURIComponent(cid);
        } catch {
          /* keep it as written */
        }
        const i = byCid.get(key.toLowerCase());
        return i === undefined ? '' : ` src="/v1/messages/${encodeURIComponent(m.id)}/attachments/${i}"`;
      });
      const html =
        `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">` +
        `<title>${escapeAttr(m.header.subject)}</title><style>${FRAME_STYLE}</style></head><body>${body}</body></html>`;
      return new RawReply(html, 'text/html; charset=utf-8', {
        // No script, nothing loaded but this message's parts (and remote images once allowed), sandboxed even when opened alone.
        'Content-Security-Policy': messageHtmlCsp(allow),
        'X-Frame-Options': 'SAMEORIGIN',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'private, no-store',
      });
    },
  });
  return r;
}
