import type { ChangeEvent, ChangeListener, Id, Notifier } from '../../domain/index.js';

/**
 * In-process change fan-out, one listener set per user. Listeners run synchronously after the
 * store's commit; one that throws is reported to `onError` and never stops the others.
 */
export function createMemoryNotifier(opts: { onError?: (err: unknown, event: ChangeEvent) => void } = {}): Notifier {
  const listeners = new Map<Id, Set<ChangeListener>>();
  let closed = false;

  return {
    publish(events: ChangeEvent[]) {
      if (closed) return;
      for (const event of events) {
        const set = listeners.get(event.userId);
        if (!set) continue;
        // Copy: a listener may unsubscribe itself (or others) while we iterate.
        for (const listener of [...set]) {
          try {
            listener(event);
          } catch (err) {
            try {
              opts.onError?.(err, event);
            } catch {
              // an error reporter that throws must not break delivery to the other listeners
            }
          }
        }
      }
    },

    subscribe(userId: Id, listener: ChangeListener) {
      let set = listeners.get(userId);
      if (!set) {
        set = new Set();
        listeners.set(userId, set);
      }
      set.add(listener);
      return () => {
        const s = listeners.get(userId);
        if (!s) return;
        s.delete(listener);
        if (s.size === 0) listeners.delete(userId);
      };
    },

    async close() {
      closed = true;
      listeners.clear();
    },
  };
}
