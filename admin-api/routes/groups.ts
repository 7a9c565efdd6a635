import Router from '@koa/router';
import type { ContactGroup } from '../../domain/account-store.js';
import type { Id } from '../../domain/ids.js';
import { notFound } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/contacts.js';
import { contactOut, orNotFound } from './contacts.js';

/** Contact groups with their members. */
export function groupsRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  const a = deps.accounts;
  const out = async (userId: Id, g: ContactGroup) => {
    const members = [];
    for (const id of g.contactIds) {
      const c = await a.getContact(userId, id);
      if (c) members.push(contactOut(c));
    }
    return { id: g.id, name: g.name, contactIds: g.contactIds, members, createdAt: g.createdAt.toISOString() };
  };
  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/groups', summary: 'List groups with members', auth: 'user', response: S.GroupList,
    async handler({ user }) {
      return Promise.all((await a.listGroups(user.id)).map((g) => out(user.id, g)));
    },
  });
  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/groups', summary: 'Create a group', auth: 'user', body: S.GroupBody, response: S.GroupSchema, status: 201, errors: [[404, 'not_found']],
    async handler({ user, body }) {
      return out(user.id, await orNotFound('contact', a.createGroup(user.id, body)));
    },
  });
  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/groups/:id', summary: 'One group', auth: 'user', response: S.GroupSchema, errors: [[404, 'not_found']],
    async handler({ user, params }) {
      const g = await a.getGroup(user.id, params.id!);
      if (!g) throw notFound('group');
      return out(user.id, g);
    },
  });
  defineRoute(r, deps, doc, {
    method: 'put', path: '/v1/groups/:id', summary: 'Rename; contactIds, when given, replace the members', auth: 'user', body: S.GroupBody, response: S.GroupSchema, errors: [[404, 'not_found']],
    async handler({ user, params, body }) {
      return out(user.id, await orNotFound('group', a.updateGroup(user.id, params.id!, body)));
    },
  });
  defineRoute(r, deps, doc, {
    method: 'delete', path: '/v1/groups/:id', summary: 'Delete a group (contacts stay)', auth: 'user', status: 204, errors: [[404, 'not_found']],
    async handler({ user, params }) {
      await orNotFound('group', a.deleteGroup(user.id, params.id!));
    },
  });
  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/groups/:id/members', summary: 'Add members', auth: 'user', body: S.GroupMembersBody, response: S.GroupSchema, errors: [[404, 'not_found']],
    async handler({ user, params, body }) {
      return out(user.id, await orNotFound('group or contact', a.addGroupMembers(user.id, params.id!, body.contactIds)));
    },
  });
  defineRoute(r, deps, doc, {
    method: 'delete', path: '/v1/groups/:id/members/:contactId', summary: 'Remove a member', auth: 'user', response: S.GroupSchema, errors: [[404, 'not_found']],
    async handler({ user, params }) {
      return out(user.id, await orNotFound('group member', a.removeGroupMember(user.id, params.id!, params.contactId!)));
    },
  });
  return r;
}
