import { z } from 'zod';
import { IsoDate } from './common.js';

export const QueueEntryOut = z.object({
  id: z.string(),
  sender: z.string(),
  domain: z.string(),
  recipients: z.array(z.string()),
  kind: z.string(),
  status: z.string(),
  size: z.number(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: IsoDate,
  nextAttemptAt: IsoDate,
});
export const QueueList = z.array(QueueEntryOut);
export const QueueQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
    domain: z.string().max(253).optional(),
  })
  .strict();
export const QueueFlush = z.object({ id: z.string().max(64).optional() }).strict();
export const QueueFlushed = z.object({ flushed: z.number() });
