/** One line of `heron doctor`: what was checked, whether it passed, and what to do if not. */
export interface CheckResult {
  group: 'listeners' | 'certificate' | 'dns' | 'ptr' | 'clock';
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export function pass(group: CheckResult['group'], name: string, detail: string): CheckResult {
  return { group, name, ok: true, detail };
}

export function fail(group: CheckResult['group'], name: string, detail: string, fix: string): CheckResult {
  return { group, name, ok: false, detail, fix };
}

/** A promise that rejects after `ms` (network checks never hang the doctor). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
    }),
  ]);
}
