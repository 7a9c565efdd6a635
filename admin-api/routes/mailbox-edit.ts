import Router from '@koa/router';
import { ApiError } from '../../gateway/index.js';
import { isStoreError } from '../../domain/errors.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import { MailboxInfo } from '../schemas/mail.js';
import { MailboxCreate } from '../schemas/message-batch.js';
import { userMailbox } from './mail-views.js';

/** Labels, Gmail's word for a user's own mailboxes: create and delete (special-use ones stay). */
export function mailboxEditRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  const { mail } = deps;

  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/mailboxes', summary: 'Create a mailbox (label)', auth: 'user', body: MailboxCreate, response: MailboxInfo, status: 201,
    errors: [[409, 'already_exists']],
    async handler({ user, body }) {
      try {
        const b = await mail.createMailbox(user.id, body.path, { subscribed: true });
        return { id: b.id, path: b.path, specialUse: b.specialUse, total: 0, unseen: 0 };
      } catch (err) {
        if (isStoreError(err, 'already_exists')) throw new ApiError(409, 'already_exists', 'a mailbox with that name exists');
        throw err;
      }
    },
  });

  defineRoute(r, deps, doc, {
    method: 'delete', path: '/v1/mailboxes/:id', summary: 'Delete a mailbox (label) and its messages', auth: 'user', status: 204,
    errors: [[404, 'not_found'], [409, 'cannot_delete']],
    async handler({ user, params }) {
      const box = await userMailbox(mail, user.id, params.id!);
      if (box.specialUse) throw new ApiError(409, 'cannot_delete', 'system mailboxes cannot be deleted');
      await mail.deleteMailbox(user.id, box.path);
    },
  });
  return r;
}
