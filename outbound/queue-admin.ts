import type { QueueEntry, QueueStore } from '../domain/queue.js';

/** `heron queue list`: entries oldest first. */
export async function listQueue(queue: QueueStore, opts: { limit?: number; offset?: number; domain?: string } = {}): Promise<QueueEntry[]> {
  return queue.list(opts);
}

/** `heron queue flush [id]`: makes entries due now; `wake` nudges a running worker. */
export async function flushQueue(queue: QueueStore, id?: string, wake?: () => void): Promise<number> {
  const n = await queue.flush(id);
  wake?.();
  return n;
}

/** `heron queue delete <id>`: drops an entry unsent and without a bounce. */
export async function deleteQueueEntry(queue: QueueStore, id: string): Promise<boolean> {
  return queue.delete(id);
}
