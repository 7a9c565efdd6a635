import type { CheckContext, MessageCheck, Verdict } from '../../domain/index.js';

export type CheckOutcome =
  | { check: string; verdict: Verdict }
  | { check: string; error: Error };

/**
 * Runs every check concurrently, each bounded by `timeoutMs`. A check that throws, times out or
 * returns something that is not a verdict becomes an error outcome: the caller applies the
 * filter-failure policy, so a broken scanner is never a silent pass.
 */
export async function runChecks(checks: readonly MessageCheck[], ctx: CheckContext, timeoutMs: number): Promise<CheckOutcome[]> {
  return Promise.all(
    checks.map(async (check): Promise<CheckOutcome> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`check ${check.name} timed out after ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const verdict = await Promise.race([check.check(ctx), timeout]);
        if (!verdict || typeof verdict !== 'object' || !['accept', 'junk', 'tempfail', 'reject'].includes(verdict.action)) {
          return { check: check.name, error: new Error(`check ${check.name} returned no verdict`) };
        }
        return { check: check.name, verdict };
      } catch (err) {
        return { check: check.name, error: err instanceof Error ? err : new Error(String(err)) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}
