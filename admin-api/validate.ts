import { z } from 'zod';
import { ApiError } from '../gateway/index.js';

/** Zod failure -> 400 `invalid_request`, with the issues (path and message only: no input echoed). */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = issues[0];
  throw new ApiError(400, 'invalid_request', `invalid ${where}${first ? `: ${first.path || '(root)'}: ${first.message}` : ''}`, { details: issues });
}
