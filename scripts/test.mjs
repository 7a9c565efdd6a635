#!/usr/bin/env node
// Runs the whole suite with node's built-in runner (TAP: CI reads `# pass N` / `# fail N`).
// Real daemons the filter tests need (rspamd, clamd, redis, dnsmasq) are started by
// scripts/daemons.sh when it exists, on loopback ports of their own, and stopped afterwards.
// Usage: node scripts/test.mjs [file or folder ...]
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const args = process.argv.slice(2);

function collect(path, out) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out);
  } else if (/\.test\.ts$/.test(path)) {
    out.push(path);
  }
  return out;
}

const files = (args.length ? args : ['test']).flatMap((p) => collect(resolve(root, p), []));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

const env = { ...process.env };
const daemons = join(root, 'scripts', 'daemons.sh');
const useDaemons = existsSync(daemons) && process.env.HERON_TEST_DAEMONS !== 'off';
if (useDaemons) {
  const r = spawnSync('bash', [daemons, 'start'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const envFile = join(root, '.tmp', 'daemons', 'env');
  if (r.status === 0 && existsSync(envFile)) {
    for (const line of readFileSync(envFile, 'utf8').split('\n')) {
      const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (m) env[m[1]] = m[2];
    }
  } else {
    console.error('# daemons.sh start failed: tests that need rspamd/clamd/redis will fail');
  }
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-timeout=300000', '--test-concurrency=2', ...files],
  { cwd: root, env, stdio: 'inherit' },
);
child.on('exit', (code, signal) => {
  if (useDaemons) spawnSync('bash', [daemons, 'stop'], { cwd: root, stdio: 'inherit' });
  process.exit(code ?? (signal ? 1 : 0));
});
