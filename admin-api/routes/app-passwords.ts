import Router from '@koa/router';
import { isStoreError } from '../../domain/errors.js';
import type { AppPassword } from '../../domain/account-store.js';
import { notFound } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/auth.js';
import { z } from 'zod';

const info = (a: AppPassword) => ({ id: a.id, name: a.name, createdAt: a.createdAt.toISOString(), lastUsedAt: a.lastUsedAt?.toISOString() ?? null });

/** App passwords for IMAP and SMTP (shown once at creation, stored hashed). */
export function appPasswordsRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  defineRoute(r, deps, doc, {
    method: 'post',
    path: '/v1/me/app-passwords',
    summary: 'Create an app password; the password is in this answer only',
    auth: 'user',
    body: S.AppPasswordBody,
    response: S.AppPasswordCreated,
    status: 201,
    async handler({ user, body, ctx }) {
      const { record, password } = await deps.accounts.createAppPassword(user.id, body.name);
      await deps.accounts.audit({ userId: user.id, action: 'app_password_created', ip: ctx.ip, details: { id: record.id } });
      return { ...info(record), password };
    },
  });
  defineRoute(r, deps, doc, {
    method: 'get',
    path: '/v1/me/app-passwords',
    summary: 'List app passwords (never the passwords themselves)',
    auth: 'user',
    response: z.array(S.AppPasswordInfo),
    async handler({ user }) {
      return (await deps.accounts.listAppPasswords(user.id)).map(info);
    },
  });
  defineRoute(r, deps, doc, {
    method: 'delete',
    path: '/v1/me/app-passwords/:id',
    summary: 'Revoke an app password',
    auth: 'user',
    status: 204,
    errors: [[404, 'not_found']],
    async handler({ user, params, ctx }) {
      try {
        await deps.accounts.deleteAppPassword(user.id, params.id!);
      } catch (err) {
        if (isStoreError(err, 'not_found')) throw notFound('app password');
        throw err;
      }
      await deps.accounts.audit({ userId: user.id, action: 'app_password_revoked', ip: ctx.ip, details: { id: params.id } });
    },
  });
  return r;
}
