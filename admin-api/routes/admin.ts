import Router from '@koa/router';
import type { User } from '../../domain/user.js';
import { isStoreError } from '../../domain/errors.js';
import { ApiError, notFound } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import { OffsetPaging } from '../schemas/common.js';
import * as S from '../schemas/admin.js';
import { z } from 'zod';

const adminUser = (u: User) => ({
  id: u.id,
  username: u.username,
  address: u.address,
  displayName: u.displayName,
  verified: u.verified,
  disabled: u.disabled,
  admin: u.admin,
  quota: u.quota,
  storageUsed: u.storageUsed,
  createdAt: u.createdAt.toISOString(),
});

/** Account administration for admins (`heron user add --admin`). */
export function adminRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  const { users } = deps;
  const mustUser = async (id: string) => {
    const u = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await users.getUser(id) : null;
    if (!u) throw notFound('user');
    return u;
  };

  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/admin/users', summary: 'List users', auth: 'admin', query: OffsetPaging, response: S.AdminUserList,
    errors: [[403, 'forbidden']],
    async handler({ query }) {
      return (await users.listUsers({ limit: query.limit, offset: query.offset })).map(adminUser);
    },
  });
  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/admin/users', summary: 'Create a verified user', auth: 'admin', body: S.AdminCreateUser,
    response: S.AdminUser, status: 201, errors: [[403, 'forbidden'], [409, 'username_taken'], [422, 'domain_not_local']],
    async handler({ body, user, ctx }) {
      const address = body.address ?? `${body.username}@${deps.primaryDomain}`;
      if (!(await users.isLocalDomain(address.slice(address.lastIndexOf('@') + 1)))) {
        throw new ApiError(422, 'domain_not_local', 'the address domain is not a local domain');
      }
      try {
        const created = await users.createUser({
          username: body.username,
          address,
          password: body.password,
          firstName: body.firstName ?? '',
          lastName: body.lastName ?? '',
          displayName: body.displayName ?? ([body.firstName, body.lastName].filter(Boolean).join(' ') || body.username),
          phone: body.phone ?? null,
          verified: true,
          admin: body.admin ?? false,
          ...(body.quota !== undefined ? { quota: body.quota } : {}),
        });
        await deps.accounts.audit({ userId: user.id, action: 'admin_user_created', ip: ctx.ip, details: { id: created.id } });
        return adminUser(created);
      } catch (err) {
        if (isStoreError(err, 'already_exists')) throw new ApiError(409, 'username_taken', 'username or address is taken');
        throw err;
      }
    },
  });
  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/admin/users/:id/disable', summary: 'Disable (or re-enable) a user; disabling revokes their tokens',
    auth: 'admin', body: S.AdminDisable, response: S.AdminUser, errors: [[403, 'forbidden'], [404, 'not_found']],
    async handler({ params, body, user, ctx }) {
      const target = await mustUser(params.id!);
      const updated = await users.updateUser(target.id, { disabled: body.disabled });
      if (body.disabled) await deps.tokens.revokeUser(target.id);
      await deps.accounts.audit({ userId: user.id, action: body.disabled ? 'admin_user_disabled' : 'admin_user_enabled', ip: ctx.ip, details: { id: target.id } });
      return adminUser(updated);
    },
  });
  defineRoute(r, deps, doc, {
    method: 'delete', path: '/v1/admin/users/:id', summary: 'Delete a user with all their mail and account data', auth: 'admin', status: 204,
    errors: [[403, 'forbidden'], [404, 'not_found'], [409, 'cannot_delete_self']],
    async handler({ params, user, ctx }) {
      const target = await mustUser(params.id!);
      if (target.id === user.id) throw new ApiError(409, 'cannot_delete_self', 'an admin cannot delete their own account');
      // The one deletion service (accounts/): revokes first, never recycles the id.
      await deps.deletion.deleteAccount(target.id, { actor: user.id, ip: ctx.ip });
    },
  });
  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/admin/audit', summary: 'Recent audit log entries', auth: 'admin',
    query: z.object({ userId: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
    response: S.AuditList, errors: [[403, 'forbidden']],
    async handler({ query }) {
      const rows = await deps.accounts.listAudit({ limit: query.limit, ...(query.userId ? { userId: query.userId } : {}) });
      return rows.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() }));
    },
  });
  return r;
}
