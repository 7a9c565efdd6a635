import { z } from 'zod';

/** No control characters (NUL included) in any single-line field. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const SINGLE_LINE = /^[^\u0000-\u001f\u007f]*$/;
/** Multi-line text may keep tab, CR and LF. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const MULTI_LINE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

export const Line = (max: number) => z.string().trim().max(max).regex(SINGLE_LINE, 'control characters are not allowed');
export const Text = (max: number) => z.string().max(max).regex(MULTI_LINE, 'control characters are not allowed');
export const Name = Line(100).min(1);
export const OptionalName = Line(100);

/** Pragmatic address check: local@domain with no spaces or specials; `localhost` domains allowed (zod's email() wants a TLD). */
export const Email = z
  .string()
  .trim()
  .max(254)
  .regex(/^[^\s@<>(),;:"\\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/, 'not an email address')
  .toLowerCase();

/** E.164. */
export const Phone = z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'phone must be E.164, e.g. +15551234567');
export const IdParam = Line(64).min(1);
export const Password = z.string().min(8, 'password must be at least 8 characters').max(256).regex(SINGLE_LINE, 'control characters are not allowed');
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, 'username: 2-32 of a-z, 0-9, dot, dash, underscore');
export const IsoDate = z.string();

export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Line(500).optional(),
});

export const OffsetPaging = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const Empty = z.object({}).strict();
