import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv, heronCli } from '../helpers/heron-process.js';
import { heronOnTerminal } from '../helpers/pty.js';

const dataDir = mkdtempSync(join(tmpdir(), 'heron-cli-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));
const env = baseEnv(dataDir);

test('--help lists the commands, and every command has its own --help', () => {
  const r = heronCli(['--help'], env);
  assert.equal(r.status, 0);
  for (const word of ['start', 'quickstart', 'doctor', 'import', 'export', 'user add', 'user list', 'user passwd', 'user delete', 'domain add', 'domain list', 'domain dns']) {
    assert.ok(r.stdout.includes(word), word);
  }
  const checked = new Set<string>();
  for (const [args, expect] of [
    [['start', '--help'], /heron start — /],
    [['quickstart', '--help'], /heron quickstart — [\s\S]*--hostname/],
    [['doctor', '--help'], /heron doctor — [\s\S]*Exit code 0 only/],
    [['import', '--help'], /heron import — [\s\S]*X-Gmail-Labels/],
    [['export', '--help'], /heron export — /],
    [['user', 'add', '--help'], /heron user add — [\s\S]*--password-file/],
    [['user', 'passwd', '--help'], /heron user passwd — /],
    [['domain', 'dns', '--help'], /heron domain dns — [\s\S]*MTA-STS/],
    [['queue', '--help'], /heron queue — /],
    [['services', '--help'], /heron services — [\s\S]*--json/],
    [['secret', 'rotate', '--help'], /heron secret — /],
  ] as const) {
    const h = heronCli([...args], env);
    checked.add(args.slice(0, -1).join(' '));
    assert.equal(h.status, 0, args.join(' '));
    assert.match(h.stdout, expect, args.join(' '));
  }
  // Every command the overview lists has a page of its own, not the overview again.
  const listed = [...r.stdout.matchAll(/^ {2}heron ([a-z]+(?: [a-z]+)?)/gm)].map((m) => m[1]!.split(' '));
  assert.ok(listed.length >= 15, `commands listed: ${listed.length}`);
  for (const words of listed) {
    if (checked.has(words.join(' '))) continue;
    const h = heronCli([...words, '--help'], env);
    assert.equal(h.status, 0, words.join(' '));
    assert.match(h.stdout, new RegExp(`^heron ${words[0]} `), `heron ${words.join(' ')} --help`);
  }
});

test('user add, list, passwd, delete', () => {
  // The password comes from standard input: it is never on the command line.
  let r = heronCli(['user', 'add', 'ann@heron.test', '--name', 'Ann Example'], env, { input: 'pw-ann-123\n' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /created ann@heron\.test/);

  r = heronCli(['user', 'add', 'ann@heron.test'], env, { input: 'again\n' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /exist/i);

  r = heronCli(['user', 'add', 'bob@not-local.test'], env, { input: 'x\n' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not a local domain/);

  r = heronCli(['user', 'add', 'no-at-sign'], env, { input: 'x\n' });
  assert.equal(r.status, 2);

  r = heronCli(['user', 'add', 'carl@heron.test'], env, { input: '' });
  assert.equal(r.status, 2, 'an empty standard input is no password');
  assert.match(r.stderr, /no password/);

  // --password-file (first line), and the old --password still works but warns.
  const pwFile = join(dataDir, 'pw.txt');
  writeFileSync(pwFile, 'from-a-file-1\nsecond line ignored\n');
  r = heronCli(['user', 'add', 'dora@heron.test', '--password-file', pwFile], env);
  assert.equal(r.status, 0, r.stderr);
  r = heronCli(['user', 'add', 'eve@heron.test', '--password', 'on-the-command-line'], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning: --password puts the password in your shell history/);

  r = heronCli(['user', 'list'], env);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /ann@heron\.test\tAnn Example/);

  r = heronCli(['user', 'passwd', 'ann@heron.test', '--password-file', '-'], env, { input: 'new-pass-456\n' });
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
  // The SRV records name the configured ports; a listener that is off is published as "not offered".
  const published = { ...env, HERON_IMAPS_PORT: '993', HERON_SUBMISSIONS_PORT: '465', HERON_SUBMISSION_PORT: '587', HERON_HTTPS_PORT: '443' };
  r = heronCli(['domain', 'dns', 'example.test'], published);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^_imap\._tcp\.example\.test\. IN SRV 0 0 0 \.$/m);
  assert.match(r.stdout, /^_submission\._tcp\.example\.test\. IN SRV 0 1 587 mx\.heron\.test\.$/m);
  assert.match(r.stdout, /^_mta-sts\.example\.test\. IN TXT "v=STSv1; id=[0-9a-f]+"$/m);
  assert.match(r.stdout, /^_smtp\._tls\.example\.test\. IN TXT "v=TLSRPTv1; rua=mailto:/m);
  assert.match(r.stdout, /^autoconfig\.example\.test\. IN CNAME mx\.heron\.test\.$/m);
  assert.match(r.stdout, /^autodiscover\.example\.test\. IN CNAME mx\.heron\.test\.$/m);
  assert.match(r.stdout, /^mta-sts\.example\.test\. IN CNAME mx\.heron\.test\.$/m);
  assert.match(r.stdout, /^example\.test\. IN MX 10 mx\.heron\.test\.$/m);
  assert.match(r.stdout, /v=spf1/);
  assert.match(r.stdout, /^heron\._domainkey\.example\.test\. IN TXT "v=DKIM1; k=rsa; p=[A-Za-z0-9+/]/m);
  assert.match(r.stdout, /^_dmarc\.example\.test\. IN TXT "v=DMARC1;/m);
  assert.match(r.stdout, /_imaps\._tcp\.example\.test\. IN SRV 0 1 993/);
  // The key is made once: the record does not change.
  const again = heronCli(['domain', 'dns', 'example.test'], published);
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

test('on a terminal the password is asked for twice and never echoed', () => {
  assert.equal(heronCli(['user', 'add', 'gus@heron.test'], env, { input: 'first-pass-1\n' }).status, 0);
  const ok = heronOnTerminal(['user', 'passwd', 'gus@heron.test'], env, { lines: ['typed-secret-7', 'typed-secret-7'] });
  assert.equal(ok.status, 0, ok.output);
  assert.match(ok.output, /Password: /);
  assert.match(ok.output, /Again: /);
  assert.match(ok.output, /password changed for gus@heron\.test/);
  assert.doesNotMatch(ok.output, /typed-secret-7/);
  const mismatch = heronOnTerminal(['user', 'passwd', 'gus@heron.test'], env, { lines: ['one-thing', 'another'] });
  assert.equal(mismatch.status, 2);
  assert.match(mismatch.output, /do not match/);
});
