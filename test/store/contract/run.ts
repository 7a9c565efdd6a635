import { after, before, describe } from 'node:test';
import type { Backend, StoreHarness } from '../backends.js';

/**
 * Runs one contract suite against one backend: a fresh store per suite (from the backend's
 * factory), cleaned up after it. `body` registers the tests; they read the harness lazily.
 */
export function contractSuite(title: string, backend: Backend, body: (h: () => StoreHarness) => void): void {
  describe(`${title} contract: ${backend.name}`, () => {
    let harness: StoreHarness | undefined;
    before(async () => {
      harness = await backend.factory();
    });
    after(async () => {
      await harness?.cleanup();
    });
    body(() => {
      if (!harness) throw new Error('store harness not ready');
      return harness;
    });
  });
}
