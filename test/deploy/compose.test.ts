import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/heron-process.js';

const haveCompose = spawnSync('docker-compose', ['version', '--short']).status === 0;
const compose = (...args: string[]) => spawnSync('docker-compose', ['-f', join(REPO_ROOT, 'docker-compose.yml'), ...args], { encoding: 'utf8', cwd: REPO_ROOT });

/**
 * No Docker engine runs here, so docker-compose.yml is checked, not started: docker-compose's own
 * `config` validates it against the Compose schema and resolves every reference (services,
 * volumes, extension anchors) without talking to a daemon.
 */
test('docker-compose.yml is valid Compose with the whole cluster in it', { skip: !haveCompose && 'docker-compose not installed (scripts/daemons.sh installs it as root)' }, () => {
  // One `config` run (docker-compose 1.x starts slowly): it fails on anything invalid and prints the resolved file.
  const r = compose('config');
  assert.equal(r.status, 0, r.stderr);
  const top = (section: string) => {
    const block = new RegExp(`^${section}:\\n((?: {2}.*\\n|\\n)*)`, 'm').exec(r.stdout)?.[1] ?? '';
    return [...block.matchAll(/^ {2}([a-z0-9-]+):/gm)].map((m) => m[1]!).sort();
  };
  assert.deepEqual(top('services'), ['clamav', 'gateway', 'heron-1', 'heron-2', 'mongo-init', 'mongo1', 'mongo2', 'mongo3', 'redis', 'rspamd']);
  for (const v of ['mongo1-data', 'redis-data', 'clamav-db', 'heron-1-data', 'heron-2-data', 'gateway-data']) assert.ok(top('volumes').includes(v), v);
  assert.match(r.stdout, /HERON_STORE: mongodb/);
  assert.match(r.stdout, /replicaSet=rs0/);
  assert.match(r.stdout, /HERON_ROLES: gateway/);
  assert.match(r.stdout, /HERON_ROLES: mx,submission,imap,api,queue/);
  assert.match(r.stdout, /condition: service_completed_successfully/);
});
