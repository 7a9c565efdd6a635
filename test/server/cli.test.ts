import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv, heronCli } from '../helpers/heron-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'heron-cli-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));
const env = baseEnv(dataDir);

test('--help lists the commands', () => {
  const r = heronCli(['--help'], env);
  assert.equal(r.status, 0);
  for (const word of ['start', 'user add', 'user list', 'user passwd', 'user delete', 'domain add', 'domain list', 'domain dns']) {
    assert.ok(r.stdout.includes(word), word);
  }
});

test('user add, list, passwd, delete', () => {
  let r = heronCli(['user', 'add', 'ann@heron.test', '--password', 'pw-ann-123', '--name', 'Ann Example'], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /created ann@heron\.test/);

  r = heronCli(['user', 'add', 'ann@heron.test', '--password', 'again'], env);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /exist/i);

  r = heronCli(['user', 'add', 'bob@not-local.test', '--password', 'x'], env);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not a local domain/);

  r = heronCli(['user', 'add', 'no-at-sign', '--password', 'x'], env);
  assert.equal(r.status, 2);

  r = heronCli(['user', 'add', 'carl@heron.test'], env);
  assert.equal(r.status, 2, 'password is required');

  r = heronCli(['user', 'list'], env);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /ann@heron\.test\tAnn Example/);

  r = heronCli(['user', 'passwd', 'ann@heron.test', '--password', 'new-pass-456'], env);
  assert.equal(r.status, 0, r.stderr);

  r = heronCli(['user', 'delete', 'ann@heron.test'], env);
  assert.equal(r.status, 0, r.stderr);
  r = heronCli(['user', 'list'], env);
  assert.doesNotMatch(r.stdout, /ann@heron\.test/);
  r = heronCli(['user', 'delete', 'ann@heron.test'], env);
  assert.notEqual(r.status, 0);
});

test('domain add, list and dns print MX, SPF, DKIM, DMARC and SRV records', () => {
  let r = heronCli(['domain', 'add', 'Example.Test'], env);
  assert.equal(r.status, 0, r.stderr);
  r = heronCli(['domain', 'list'], env);
  assert.match(r.stdout, /^heron\.test$/m);
  assert.match(r.stdout, /^example\.test$/m);
  r = heronCli(['domain', 'dns', 'example.test'], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^example\.test\. IN MX 10 mx\.heron\.test\.$/m);
  assert.match(r.stdout, /v=spf1/);
  assert.match(r.stdout, /^heron\._domainkey\.example\.test\. IN TXT "v=DKIM1; k=rsa; p=[A-Za-z0-9+/]/m);
  assert.match(r.stdout, /^_dmarc\.example\.test\. IN TXT "v=DMARC1;/m);
  assert.match(r.stdout, /_imaps\._tcp\.example\.test\. IN SRV 0 1 993/);
  // The key is made once: the record does not change.
  const again = heronCli(['domain', 'dns', 'example.test'], env);
  assert.equal(again.stdout, r.stdout);
  r = heronCli(['domain', 'dns', 'unknown.test'], env);
  assert.equal(r.status, 2);
});

test('bad configuration is a clear error, exit 2', () => {
  const r = heronCli(['user', 'list'], { ...env, HERON_SMTP_PORT: 'abc' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /HERON_SMTP_PORT/);
  const u = heronCli(['frobnicate'], env);
  assert.equal(u.status, 2);
  assert.match(u.stderr, /unknown command/);
});

test('queue list, flush and delete answer on an empty queue', () => {
  let r = heronCli(['queue', 'list'], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /queue is empty/);
  r = heronCli(['queue', 'flush'], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^0 entries due now/);
  r = heronCli(['queue', 'delete', '12345'], env);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no queue entry/);
});
