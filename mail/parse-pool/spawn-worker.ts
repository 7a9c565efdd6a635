import { Worker } from 'node:worker_threads';

/**
 * Starts parse-worker next to this file: `.js` when running the build, `.ts` under tsx (tests,
 * benches). Node 20 does not hand `--import tsx` hooks to a worker's entry module, so a `.ts`
 * worker starts from a small bootstrap that registers tsx in that thread first.
 */
export function spawnParseWorker(workerData: unknown): Worker {
  const here = import.meta.url;
  const ext = here.endsWith('.ts') ? '.ts' : '.js';
  const entry = new URL(`./parse-worker${ext}`, here);
  if (ext === '.js') return new Worker(entry, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
