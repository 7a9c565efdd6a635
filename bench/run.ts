/**
 * `npm run bench`: runs every benchmark in turn and prints its figures. Benchmarks measure; they
 * never fail on timing. `npm run bench -- imap` runs only those whose name contains "imap".
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

type Bench = () => Promise<Record<string, number | string>>;

const SUITES: Array<{ name: string; file: string; fn: string }> = [
  { name: 'smtp-ingest', file: 'smtp-ingest.ts', fn: 'runSmtpIngestBench' },
  { name: 'store', file: 'store-fetch.ts', fn: 'runStoreFetchBench' },
  { name: 'imap', file: 'imap-bench.ts', fn: 'runImapBench' },
  { name: 'filters', file: 'filters-bench.ts', fn: 'runFiltersBench' },
  { name: 'relay', file: 'relay-bench.ts', fn: 'runRelayBench' },
  { name: 'api', file: 'api-bench.ts', fn: 'runApiBench' },
];

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];

for (const suite of SUITES) {
  if (filter && !suite.name.includes(filter)) continue;
  const path = join(here, suite.file);
  if (!existsSync(path)) {
    console.log(`\n## ${suite.name}: not present (${suite.file})`);
    continue;
  }
  console.log(`\n## ${suite.name}`);
  const mod = (await import(path)) as Record<string, Bench>;
  const run = mod[suite.fn];
  if (typeof run !== 'function') {
    console.log(`  ${suite.file} does not export ${suite.fn}`);
    continue;
  }
  try {
    const figures = await run();
    for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(40)} ${typeof v === 'number' ? v.toFixed(2) : v}`);
  } catch (err) {
    console.log(`  failed: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  }
}
