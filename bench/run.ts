/**
 * `npm run bench`: runs every benchmark, each in a process of its own (so one's memory and JIT
 * state do not colour the next one's figures), and prints its figures. Benchmarks measure; they
 * never fail on timing. `npm run bench -- imap` runs only those whose name contains "imap".
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

type Bench = () => Promise<Record<string, number | string>>;

const SUITES: Array<{ name: string; file: string; fn: string }> = [
  { name: 'smtp-ingest', file: 'smtp-ingest.ts', fn: 'runSmtpIngestBench' },
  { name: 'store', file: 'store-fetch.ts', fn: 'runStoreFetchBench' },
  { name: 'imap', file: 'imap-bench.ts', fn: 'runImapBench' },
  { name: 'relay', file: 'relay-bench.ts', fn: 'runRelayBench' },
  { name: 'api', file: 'api-bench.ts', fn: 'runApiBench' },
  { name: 'webmail', file: 'webmail-bench.ts', fn: 'runWebmailBench' },
  { name: 'mime', file: 'mime-parse.ts', fn: 'runMimeParseBench' },
  { name: 'store-backends', file: 'store-backends.ts', fn: 'runStoreBackendsBench' },
  { name: 'import', file: 'import-bench.ts', fn: 'runImportBench' },
  { name: 'fts-commit', file: 'fts-commit.ts', fn: 'runFtsCommitBench' },
];

const here = dirname(fileURLToPath(import.meta.url));

async function runOne(name: string): Promise<void> {
  const suite = SUITES.find((s) => s.name === name)!;
  const mod = (await import(join(here, suite.file))) as Record<string, Bench>;
  const run = mod[suite.fn];
  if (typeof run !== 'function') throw new Error(`${suite.file} does not export ${suite.fn}`);
  const figures = await run();
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(40)} ${typeof v === 'number' ? v.toFixed(2) : v}`);
}

if (process.argv[2] === '--one') {
  await runOne(process.argv[3]!);
} else {
  const filter = process.argv[2];
  for (const suite of SUITES) {
    if (filter && !suite.name.includes(filter)) continue;
    console.log(`\n## ${suite.name}`);
    if (!existsSync(join(here, suite.file))) {
      console.log(`  not present (${suite.file})`);
      continue;
    }
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--one', suite.name], { stdio: 'inherit' });
    if (r.status !== 0) {
      console.log(`  failed (exit ${r.status ?? r.signal})`);
      process.exitCode = 1;
    }
  }
}
