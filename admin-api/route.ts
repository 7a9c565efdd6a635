import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { User } from '../domain/user.js';
import { ApiError, unauthorized, type AuthInfo } from '../gateway/index.js';
import type { ApiDeps } from './deps.js';
import { parseInput } from './validate.js';
import type { OpenApiCollector } from './openapi.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, R extends z.ZodType> {
  method: Method;
  /** koa-router path, e.g. '/v1/contacts/:id'. */
  path: string;
  summary: string;
  auth: 'none' | 'user' | 'admin';
  body?: B;
  query?: Q;
  /** Absent: no body (e.g. 204). */
  response?: R;
  /** A body that is not JSON, read by the handler itself (uploads): documented as this media type. */
  rawBody?: { contentType: string; description: string };
  /** A success answer that is not JSON (a document, an event stream, a download): its media type. */
  produces?: string;
  status?: number;
  /** Documented failures: [status, code]. */
  errors?: Array<[number, string]>;
  handler(req: RouteRequest<z.infer<B>, z.infer<Q>>): Promise<z.infer<R> | RawReply | void>;
}

export interface RouteRequest<B, Q> {
  ctx: Context;
  body: B;
  query: Q;
  params: Record<string, string>;
  /** The signed-in user; only valid on routes with auth 'user' or 'admin'. */
  user: User;
  auth: AuthInfo;
}

/** A reply that is not JSON (attachment download). */
export class RawReply {
  constructor(readonly body: unknown, readonly contentType: string, readonly headers: Record<string, string> = {}) {}
}

/**
 * Registers a route on the router and in the OpenAPI document from one spec, so the schemas
 * that validate are the schemas that are documented. Responses are parsed by their schema too:
 * a field not in the schema never leaks out.
 */
export function defineRoute<B extends z.ZodType, Q extends z.ZodType, R extends z.ZodType>(
  router: Router,
  deps: ApiDeps,
  doc: OpenApiCollector,
  spec: RouteSpec<B, Q, R>,
): void {
  doc.add(spec);
  router[spec.method](spec.path, async (ctx) => {
    const auth = ctx.state.auth as AuthInfo | undefined;
    let user: User | null = null;
    if (spec.auth !== 'none') {
      if (!auth) throw unauthorized();
      user = await deps.users.getUser(auth.userId);
      if (!user) throw unauthorized('account no longer exists');
      if (user.disabled) throw new ApiError(403, 'account_disabled', 'account is disabled');
      if (spec.auth === 'admin' && !user.admin) throw new ApiError(403, 'forbidden', 'administrators only');
    }
    const body = spec.body ? parseInput(spec.body, ctx.state.body ?? {}, 'body') : undefined;
    const query = spec.query ? parseInput(spec.query, ctx.query, 'query') : undefined;
    const out = await spec.handler({
      ctx,
      body: body as z.infer<B>,
      query: query as z.infer<Q>,
      params: ctx.params as Record<string, string>,
      user: user as User,
      auth: auth as AuthInfo,
    });
    if (out instanceof RawReply) {
      ctx.status = spec.status ?? 200;
      ctx.type = out.contentType;
      ctx.set(out.headers);
      ctx.body = out.body;
      return;
    }
    ctx.status = spec.status ?? 200;
    if (spec.response && ctx.status !== 204) {
      const r = spec.response.safeParse(out);
      if (!r.success) throw new Error(`response of ${spec.method} ${spec.path} does not match its schema: ${r.error.message}`);
      ctx.body = r.data;
    }
  });
}
