import Router from '@koa/router';
import type { User } from '../../domain/user.js';
import { ApiError } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/profile.js';

export const profileOf = (u: User) => ({
  userId: u.id,
  username: u.username,
  address: u.address,
  firstName: u.firstName,
  lastName: u.lastName,
  displayName: u.displayName,
  phone: u.phone,
  verified: u.verified,
  admin: u.admin,
  createdAt: u.createdAt.toISOString(),
});

/** The signed-in user's profile (names and phone live on the User record). */
export function profileRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  defineRoute(r, deps, doc, {
    method: 'get',
    path: '/v1/me/profile',
    summary: 'The profile',
    auth: 'user',
    response: S.Profile,
    async handler({ user }) {
      return profileOf(user);
    },
  });
  defineRoute(r, deps, doc, {
    method: 'put',
    path: '/v1/me/profile',
    summary: 'Update names and phone (fields left out are kept)',
    auth: 'user',
    body: S.ProfileUpdate,
    response: S.Profile,
    errors: [[403, 'password_required']],
    async handler({ user, body, ctx }) {
      const patch: Parameters<ApiDeps['users']['updateUser']>[1] = {};
      if (body.firstName !== undefined) patch.firstName = body.firstName;
      if (body.lastName !== undefined) patch.lastName = body.lastName;
      if (body.displayName !== undefined) patch.displayName = body.displayName;
      if (body.phone !== undefined && body.phone !== user.phone) {
        if (!body.currentPassword || !(await deps.users.verifyPassword(user.username, body.currentPassword))) {
          throw new ApiError(403, 'password_required', 'changing the phone number needs the current password');
        }
        patch.phone = body.phone;
      }
      const updated = await deps.users.updateUser(user.id, patch);
      await deps.accounts.audit({ userId: user.id, action: 'profile_updated', ip: ctx.ip, details: { fields: Object.keys(patch) } });
      return profileOf(updated);
    },
  });
  return r;
}
