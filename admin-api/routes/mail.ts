import Router from '@koa/router';
import type { Readable } from 'node:stream';
import type { Id } from '../../domain/ids.js';
import { notFound } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute, RawReply } from '../route.js';
import { Paging } from '../schemas/common.js';
import * as S from '../schemas/mail.js';
import { INERT_RESPONSE_CSP, sanitizeMessageHtmlDetailed } from '../html/sanitize.js';
import { openAttachment, readMessageContent } from '../message-content.js';
import { recordSummary, storeInput, summaryOut, userMailbox } from './mail-views.js';
import type { Mailbox } from '../../domain/mailbox.js';

/** Mailboxes, message pages, message detail, attachment download, flag and move updates. */
export function mailRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  const { mail } = deps;

  async function message(userId: Id, id: string) {
    const m = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await mail.getMessageById(userId, id, ['header', 'attachments']) : null;
    if (!m || m.userId !== userId) throw notFound('message');
    return m;
  }

  async function content(userId: Id, id: string) {
    const c = await readMessageContent(deps, userId, id);
    if (!c) throw notFound('message');
    return c;
  }

  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/mailboxes', summary: 'Mailboxes with totals and unseen counts', auth: 'user', response: S.MailboxList,
    async handler({ user }) {
      const boxes = await mail.listMailboxes(user.id);
      return Promise.all(
        boxes.map(async (b) => {
          const st = await mail.getMailboxStatus(b.id);
          return { id: b.id, path: b.path, specialUse: b.specialUse, total: st.messages, unseen: st.unseen };
        }),
      );
    },
  });

  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/mailboxes/:id/messages', summary: 'A page of message summaries, newest first', auth: 'user',
    query: Paging, response: S.MessagePage, errors: [[404, 'not_found']],
    async handler({ user, params, query }) {
      const box = await userMailbox(mail, user.id, params.id!);
      const page = await storeInput(mail.listMessages(box.id, { limit: query.limit, cursor: query.cursor ?? null }));
      return { items: page.items.map(summaryOut), nextCursor: page.nextCursor };
    },
  });

  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/messages/:id', summary: 'Headers, text, sanitised HTML and attachment list', auth: 'user',
    response: S.MessageDetail, errors: [[404, 'not_found']],
    async handler({ user, params, ctx }) {
      const m = await message(user.id, params.id!);
      const c = await content(user.id, params.id!);
      const h = c.header;
      const safe = sanitizeMessageHtmlDetailed(c.html);
      // The body carries message HTML: should anything render this response, nothing in it may run or load.
      ctx.set('Content-Security-Policy', INERT_RESPONSE_CSP);
      ctx.set('X-Content-Type-Options', 'nosniff');
      return {
        ...summaryOut(recordSummary(m, c.text)),
        headers: { ...h, date: h.date ? h.date.toISOString() : null },
        text: c.text,
        html: safe.html,
        remoteImages: safe.remoteImages,
        attachments: c.attachments.map((a, i) => ({
          id: String(i),
          filename: a.filename,
          contentType: a.contentType,
          size: a.size,
          ...(a.contentId ? { contentId: a.contentId } : {}),
        })),
      };
    },
  });

  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/messages/:id/attachments/:index', summary: 'Download an attachment (decoded)', auth: 'user',
    errors: [[404, 'not_found']],
    async handler({ user, params }) {
      const idx = /^\d{1,4}$/.test(params.index!) ? Number(params.index) : -1;
      const a = await openAttachment(deps, user.id, params.id!, idx);
      if (!a) throw notFound('attachment');
      const stream: Readable = a.stream;
      const name = a.filename.replace(/["\\\r\n]/g, '_') || 'attachment';
      // RFC 6266 with RFC 5987 encoding for non-ASCII names.
      return new RawReply(stream, /^[\w.+-]+\/[\w.+-]+$/.test(a.contentType) ? a.contentType : 'application/octet-stream', {
        'Content-Disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        'X-Content-Type-Options': 'nosniff',
        // The sender chose the type (text/html, image/svg+xml): opened directly, it must stay inert.
        'Content-Security-Policy': INERT_RESPONSE_CSP,
      });
    },
  });

  defineRoute(r, deps, doc, {
    method: 'patch', path: '/v1/messages/:id', summary: 'Mark read/starred, add or remove keywords, move to another mailbox', auth: 'user',
    body: S.MessageUpdate, response: S.MessageSummary, errors: [[404, 'not_found']],
    async handler({ user, params, body }) {
      const m = await message(user.id, params.id!);
      const add = [...(body.addFlags ?? [])];
      const remove = [...(body.removeFlags ?? [])];
      if (body.seen !== undefined) (body.seen ? add : remove).push('\\Seen');
      if (body.flagged !== undefined) (body.flagged ? add : remove).push('\\Flagged');
      if (add.length) await storeInput(mail.updateFlags(m.mailboxId, [m.uid], { action: 'add', flags: add }));
      if (remove.length) await storeInput(mail.updateFlags(m.mailboxId, [m.uid], { action: 'remove', flags: remove }));
      let mailboxId = m.mailboxId;
      let uid = m.uid;
      let moved: { from: Mailbox; to: Mailbox } | null = null;
      if (body.mailboxId !== undefined && body.mailboxId !== m.mailboxId) {
        const target = await userMailbox(mail, user.id, body.mailboxId);
        const source = await mail.getMailboxById(user.id, m.mailboxId);
        const res = await mail.moveMessages(m.mailboxId, [m.uid], target.id);
        mailboxId = target.id;
        uid = res.destinationUids[0] ?? uid;
        moved = source ? { from: source, to: target } : null;
      }
      for await (const rec of mail.getMessages(mailboxId, [uid], { fields: ['header', 'attachments'] })) {
        if (moved) deps.moveObserver?.messagesMoved({ userId: user.id, ...moved, messageIds: [rec.id] });
        return summaryOut(recordSummary(rec, (await readMessageContent(deps, user.id, rec.id))?.text ?? ''));
      }
      throw notFound('message');
    },
  });
  return r;
}
