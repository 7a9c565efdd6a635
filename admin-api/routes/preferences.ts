import Router from '@koa/router';
import type { Preferences } from '../../domain/preferences.js';
import { ApiError } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/preferences.js';

/** Language, timezone, signature, vacation responder, spam handling, allow/block lists. */
export function preferencesRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  defineRoute(r, deps, doc, {
    method: 'get',
    path: '/v1/me/preferences',
    summary: 'The preferences',
    auth: 'user',
    response: S.PreferencesSchema,
    async handler({ user }) {
      return deps.accounts.getPreferences(user.id);
    },
  });
  defineRoute(r, deps, doc, {
    method: 'put',
    path: '/v1/me/preferences',
    summary: 'Update preferences (merged; unknown fields refused)',
    auth: 'user',
    body: S.PreferencesUpdate,
    response: S.PreferencesSchema,
    async handler({ user, body }) {
      const cur = await deps.accounts.getPreferences(user.id);
      const next: Preferences = {
        ...cur,
        ...(body as Partial<Omit<Preferences, 'vacation'>>),
        vacation: { ...cur.vacation, ...(body.vacation ?? {}) },
      };
      if (body.language !== undefined) next.language = Intl.getCanonicalLocales(body.language)[0]!;
      const checked = S.PreferencesChecked.safeParse(next);
      if (!checked.success) throw new ApiError(400, 'invalid_request', checked.error.issues[0]?.message ?? 'invalid preferences');
      return deps.accounts.setPreferences(user.id, next);
    },
  });
  return r;
}
