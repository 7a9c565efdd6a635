import type { ServiceInstance, ServiceRegistry } from '../../domain/index.js';

/** The registry of a single process (no Redis): only this node's own entry. */
export function createMemoryRegistry(now: () => number = Date.now): ServiceRegistry {
  const instances = new Map<string, ServiceInstance>();
  const watchers = new Set<() => void>();
  const changed = () => watchers.forEach((w) => w());
  return {
    async heartbeat(instance) {
      const isNew = !instances.has(instance.id);
      instances.set(instance.id, { ...instance, lastHeartbeat: now() });
      if (isNew) changed();
    },
    async remove(id) {
      if (instances.delete(id)) changed();
    },
    async list() {
      return [...instances.values()];
    },
    watch(listener) {
      watchers.add(listener);
      return () => watchers.delete(listener);
    },
    async close() {
      watchers.clear();
    },
  };
}
