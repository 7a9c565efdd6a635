import { z } from 'zod';
import type { RouteSpec } from './route.js';

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });

export interface OpenApiCollector {
  add(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>): void;
  document(): Record<string, unknown>;
}

/** Collects route specs and renders OpenAPI 3.1 (whose schema dialect is JSON Schema 2020-12, what zod 4 emits). */
export function createOpenApiCollector(info: { title: string; version: string }): OpenApiCollector {
  const paths: Record<string, Record<string, unknown>> = {};
  let cached: Record<string, unknown> | null = null;
  const schema = (s: z.ZodType, io: 'input' | 'output') => {
    const json = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
    // The document declares the dialect once (OpenAPI 3.1 defaults to 2020-12), not per schema.
    delete json.$schema;
    return json;
  };
  return {
    add(spec) {
      cached = null;
      const path = spec.path.replace(/:(\w+)/g, '{$1}');
      const op: Record<string, unknown> = {
        summary: spec.summary,
        operationId: `${spec.method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
        responses: {},
      };
      const params = [...spec.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
      if (spec.query) {
        const q = schema(spec.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, s] of Object.entries(q.properties ?? {})) {
          params.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema: s as { type: string } });
        }
      }
      if (params.length) op.parameters = params;
      if (spec.body) op.requestBody = { required: true, content: { 'application/json': { schema: schema(spec.body, 'input') } } };
      if (spec.rawBody) op.requestBody = { required: true, description: spec.rawBody.description, content: { [spec.rawBody.contentType]: { schema: { type: 'string', format: 'binary' } } } };
      const responses = op.responses as Record<string, unknown>;
      const ok = String(spec.status ?? 200);
      responses[ok] = spec.response
        ? { description: 'success', content: { 'application/json': { schema: schema(spec.response, 'output') } } }
        : spec.produces
          ? { description: 'success', content: { [spec.produces]: { schema: { type: 'string' } } } }
          : { description: 'success' };
      const errs: Array<[number, string]> = [
        ...(spec.body || spec.query ? ([[400, 'invalid_request']] as Array<[number, string]>) : []),
        ...(spec.auth !== 'none' ? ([[401, 'unauthorized']] as Array<[number, string]>) : []),
        ...(spec.errors ?? []),
        [429, 'rate_limited'],
      ];
      for (const [status, code] of errs) {
        const key = String(status);
        const prev = responses[key] as { description: string } | undefined;
        responses[key] = {
          description: prev ? `${prev.description}, ${code}` : code,
          content: { 'application/json': { schema: schema(ErrorSchema, 'output') } },
        };
      }
      if (spec.auth !== 'none') op.security = [{ bearer: [] }];
      (paths[path] ??= {})[spec.method] = op;
    },
    document() {
      cached ??= {
        openapi: '3.1.0',
        info,
        servers: [{ url: '/' }],
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
        paths,
      };
      return cached;
    },
  };
}
