import type { AuditEntry } from '../../../domain/index.js';
import type { Collections } from '../collections.js';
import { newId } from '../context.js';

/** Append-only record of security-relevant account events; newest first on read. */
export function createAuditMethods(c: Collections) {
  return {
    async audit(e: { userId: string | null; action: string; ip?: string | null; details?: Record<string, unknown> }): Promise<void> {
      await c.audit.insertOne({ _id: newId(), userId: e.userId, action: e.action, ip: e.ip ?? null, details: JSON.stringify(e.details ?? {}), createdAt: new Date() });
    },
    async listAudit(opts: { userId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
      const docs = await c.audit
        .find(opts.userId !== undefined ? { userId: opts.userId } : {})
        .sort({ createdAt: -1, _id: -1 })
        .limit(opts.limit ?? 100)
        .toArray();
      return docs.map((d) => ({ id: d._id, userId: d.userId, action: d.action, ip: d.ip, details: JSON.parse(d.details) as Record<string, unknown>, createdAt: d.createdAt }));
    },
  };
}
