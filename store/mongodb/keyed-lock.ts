/**
 * Runs writes to the same key (a mailbox) one after another within this process. Transactions
 * on one mailbox document would otherwise conflict and be retried by the driver again and
 * again under a burst of deliveries; across nodes the retries remain the safety net.
 */
export function createKeyedLock() {
  const tails = new Map<string, Promise<unknown>>();
  return async function withLock<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)].sort();
    const waitFor = unique.map((k) => tails.get(k) ?? Promise.resolve());
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    for (const k of unique) tails.set(k, mine);
    try {
      await Promise.allSettled(waitFor);
      return await fn();
    } finally {
      release();
      for (const k of unique) if (tails.get(k) === mine) tails.delete(k);
    }
  };
}

export type KeyedLock = ReturnType<typeof createKeyedLock>;
