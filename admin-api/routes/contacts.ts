import Router from '@koa/router';
import type { Contact } from '../../domain/account-store.js';
import { isStoreError } from '../../domain/errors.js';
import { notFound } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import { OffsetPaging } from '../schemas/common.js';
import * as S from '../schemas/contacts.js';

export const contactOut = (c: Contact) => ({
  id: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  notes: c.notes,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

/** StoreError 'not_found' -> 404: another user's ids look exactly like missing ones. */
export async function orNotFound<T>(what: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (isStoreError(err, 'not_found')) throw notFound(what);
    throw err;
  }
}

export function contactsRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  const a = deps.accounts;
  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/contacts', summary: 'List contacts', auth: 'user', query: OffsetPaging, response: S.ContactList,
    async handler({ user, query }) {
      return (await a.listContacts(user.id, query)).map(contactOut);
    },
  });
  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/contacts', summary: 'Create a contact', auth: 'user', body: S.ContactBody, response: S.ContactSchema, status: 201,
    async handler({ user, body }) {
      return contactOut(await a.createContact(user.id, body));
    },
  });
  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/contacts/:id', summary: 'One contact', auth: 'user', response: S.ContactSchema, errors: [[404, 'not_found']],
    async handler({ user, params }) {
      const c = await a.getContact(user.id, params.id!);
      if (!c) throw notFound('contact');
      return contactOut(c);
    },
  });
  defineRoute(r, deps, doc, {
    method: 'put', path: '/v1/contacts/:id', summary: 'Replace a contact', auth: 'user', body: S.ContactBody, response: S.ContactSchema, errors: [[404, 'not_found']],
    async handler({ user, params, body }) {
      return contactOut(await orNotFound('contact', a.updateContact(user.id, params.id!, body)));
    },
  });
  defineRoute(r, deps, doc, {
    method: 'delete', path: '/v1/contacts/:id', summary: 'Delete a contact (and its group memberships)', auth: 'user', status: 204, errors: [[404, 'not_found']],
    async handler({ user, params }) {
      await orNotFound('contact', a.deleteContact(user.id, params.id!));
    },
  });
  return r;
}
