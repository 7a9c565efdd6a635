import Router from '@koa/router';
import addressparser from 'nodemailer/lib/addressparser';
import type { Readable } from 'node:stream';
import type { Id } from '../../domain/ids.js';
import type { Mailbox } from '../../domain/mailbox.js';
import type { User } from '../../domain/user.js';
import { ApiError, notFound } from '../../gateway/index.js';
import { readCapped } from '../../gateway/json-body.js';
import type { ApiDeps } from '../deps.js';
import { openAttachment, readMessageContent, type MessageContent } from '../message-content.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/drafts.js';
import { SendResponse } from '../schemas/mail.js';
import { composeMessage } from '../send/compose.js';
import { sendMessage } from '../send/send-message.js';

type Fields = { to: string[]; cc: string[]; bcc: string[]; subject: string; text: string };
type Attachment = { filename: string; contentType: string; content: Readable | Buffer };
type Threading = { inReplyTo: string | null; references: string[] };

const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

const addresses = (header: string): string[] => {
  const flat: string[] = [];
  const walk = (list: ReturnType<typeof addressparser>) => {
    for (const a of list) {
      if ('group' in a && a.group) walk(a.group);
      else if (a.address) flat.push(a.address.toLowerCase());
    }
  };
  walk(addressparser(header));
  return flat;
};

/**
 * Drafts, kept in the Drafts mailbox as ordinary messages (so IMAP clients see them too). A save
 * writes a new message and expunges the previous version, so a draft's id changes on every save;
 * attachments are carried from version to version. The web app saves while the user types,
 * uploads attachments into the draft, and finally sends it.
 */
export function draftsRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  const { mail } = deps;

  const draftsBox = async (userId: Id): Promise<Mailbox> => {
    const box = await mail.getSpecialMailbox(userId, '\\Drafts');
    if (!box) throw new ApiError(409, 'no_drafts_mailbox', 'the Drafts mailbox is missing');
    return box;
  };

  /** A message that is one of the user's drafts (ids elsewhere are 404: a draft route never touches other mail). */
  const loadDraft = async (userId: Id, id: string): Promise<MessageContent> => {
    const box = await draftsBox(userId);
    const m = await readMessageContent(deps, userId, id);
    if (!m || m.mailboxId !== box.id) throw notFound('draft');
    return m;
  };

  const attachmentsOf = async (userId: Id, m: MessageContent, skip: Set<number> = new Set()): Promise<Attachment[]> => {
    const out: Attachment[] = [];
    for (let i = 0; i < m.attachments.length; i++) {
      if (skip.has(i)) continue;
      const a = await openAttachment(deps, userId, m.id, i);
      if (a) out.push({ filename: a.filename, contentType: a.contentType, content: a.stream });
    }
    return out;
  };

  /** Writes a new version into Drafts, then drops the previous one (never before the new one is committed). */
  async function save(user: User, fields: Fields, attachments: Attachment[], threading: Threading, previous: MessageContent | null) {
    const box = await draftsBox(user.id);
    const { raw } = await composeMessage({
      sender: user,
      ...fields,
      keepBcc: true,
      signature: '',
      domain: user.address.slice(user.address.lastIndexOf('@') + 1),
      attachments,
      ...(threading.inReplyTo ? { inReplyTo: threading.inReplyTo } : {}),
      references: threading.references,
      ...(previous?.header.messageId ? { messageId: previous.header.messageId } : {}),
    });
    if (!deps.prepare) throw new ApiError(503, 'drafts_unavailable', 'no message parser configured');
    const stored = await mail.append(user.id, box.id, await deps.prepare(raw, deps.blobs), { flags: ['\\Draft', '\\Seen'] });
    if (previous) await discard(previous);
    const saved = await readMessageContent(deps, user.id, stored.messageId);
    if (!saved) throw notFound('draft');
    return draftOut(saved, fields);
  }

  async function discard(m: MessageContent) {
    await mail.updateFlags(m.mailboxId, [m.uid], { action: 'add', flags: ['\\Deleted'] });
    await mail.expunge(m.mailboxId, { uids: [m.uid] });
  }

  const threadingOf = (m: MessageContent): Threading => ({ inReplyTo: m.header.inReplyTo, references: m.header.references });

  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/drafts', summary: 'Start a draft (optionally a reply to, or a forward of, one of your messages)', auth: 'user',
    body: S.DraftCreate, response: S.DraftOut, status: 201, errors: [[404, 'not_found']],
    async handler({ user, body }) {
      const { inReplyTo, forwardOf, ...fields } = body;
      let threading: Threading = { inReplyTo: null, references: [] };
      if (inReplyTo) {
        const orig = await readMessageContent(deps, user.id, inReplyTo);
        if (!orig) throw notFound('message');
        const id = orig.header.messageId;
        // RFC 5322 3.6.4: the parent's References (or its In-Reply-To) followed by the parent's Message-ID.
        const refs = orig.header.references.length ? orig.header.references : orig.header.inReplyTo ? [orig.header.inReplyTo] : [];
        threading = { inReplyTo: id, references: id ? [...refs, id].slice(-50) : refs };
      }
      let attachments: Attachment[] = [];
      if (forwardOf) {
        const orig = await readMessageContent(deps, user.id, forwardOf);
        if (!orig) throw notFound('message');
        attachments = await attachmentsOf(user.id, orig);
      }
      return save(user, fields, attachments, threading, null);
    },
  });

  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/drafts/:id', summary: 'A draft, to edit it', auth: 'user', response: S.DraftOut, errors: [[404, 'not_found']],
    async handler({ user, params }) {
      const m = await loadDraft(user.id, params.id!);
      return draftOut(m, draftFields(m));
    },
  });

  defineRoute(r, deps, doc, {
    method: 'put', path: '/v1/drafts/:id', summary: 'Save a draft again (answers the new version: its id changes)', auth: 'user',
    body: S.DraftUpdate, response: S.DraftOut, errors: [[404, 'not_found']],
    async handler({ user, params, body }) {
      const prev = await loadDraft(user.id, params.id!);
      const { removeAttachments, ...fields } = body;
      return save(user, fields, await attachmentsOf(user.id, prev, new Set(removeAttachments ?? [])), threadingOf(prev), prev);
    },
  });

  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/drafts/:id/attachments', summary: 'Upload a file into a draft (raw body, its Content-Type; ?filename=)', auth: 'user',
    query: S.UploadQuery, response: S.DraftOut, status: 201, errors: [[404, 'not_found'], [413, 'payload_too_large']],
    rawBody: { contentType: '*/*', description: "The file's bytes; Content-Type is the attachment's type" },
    async handler({ user, params, query, ctx }) {
      const limit = deps.maxUploadBytes;
      const declared = Number(ctx.get('content-length') || 0);
      if (declared > limit) throw new ApiError(413, 'payload_too_large', `attachments are limited to ${limit} bytes`, { headers: { Connection: 'close' } });
      const prev = await loadDraft(user.id, params.id!);
      const chunks = await readCapped(ctx.req, limit);
      if (chunks === null) throw new ApiError(413, 'payload_too_large', `attachments are limited to ${limit} bytes`);
      const type = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
      const file: Attachment = { filename: query.filename, contentType: CONTENT_TYPE.test(type) ? type : 'application/octet-stream', content: Buffer.concat(chunks) };
      const fields = draftFields(prev);
      return save(user, fields, [...(await attachmentsOf(user.id, prev)), file], threadingOf(prev), prev);
    },
  });

  defineRoute(r, deps, doc, {
    method: 'delete', path: '/v1/drafts/:id', summary: 'Discard a draft', auth: 'user', status: 204, errors: [[404, 'not_found']],
    async handler({ user, params }) {
      await discard(await loadDraft(user.id, params.id!));
    },
  });

  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/drafts/:id/send', summary: 'Send a draft as shown (fields in the body, attachments from the draft); the draft is then removed', auth: 'user',
    body: S.DraftSend, response: SendResponse, status: 202,
    errors: [[404, 'not_found'], [400, 'no_recipients'], [422, 'unknown_recipient'], [503, 'sending_unavailable']],
    async handler({ user, params, body, ctx }) {
      const draft = await loadDraft(user.id, params.id!);
      const threading = threadingOf(draft);
      const out = await sendMessage(
        deps,
        user,
        { ...body, attachments: await attachmentsOf(user.id, draft), inReplyTo: threading.inReplyTo, references: threading.references, addSignature: false },
        ctx.ip,
      );
      await discard(draft);
      return out;
    },
  });

  return r;
}

function draftFields(m: MessageContent): Fields {
  return { to: addresses(m.header.to), cc: addresses(m.header.cc), bcc: addresses(m.header.bcc), subject: m.header.subject, text: m.text.replace(/\r\n/g, '\n') };
}

function draftOut(m: MessageContent, fields: Fields) {
  return {
    id: m.id,
    mailboxId: m.mailboxId,
    ...fields,
    inReplyTo: m.header.inReplyTo,
    attachments: m.attachments.map((a, index) => ({ index, filename: a.filename, contentType: a.contentType, size: a.size })),
    savedAt: new Date().toISOString(),
  };
}
