import type { ClusterBus, ClusterEvent } from '../../domain/index.js';

/** The cluster bus of a single process: listeners are called synchronously on publish. */
export function createMemoryBus(onError?: (err: unknown) => void): ClusterBus {
  const listeners = new Set<(e: ClusterEvent) => void>();
  return {
    async publish(event) {
      for (const l of [...listeners]) {
        try {
          l(event);
        } catch (err) {
          onError?.(err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}
