import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError, parseDuration, parseSize } from '../../config/index.js';

test('defaults give a runnable config', () => {
  const c = loadConfig({ env: {}, file: null });
  assert.deepEqual(c.ports, { smtp: 25, submission: 587, submissions: 465, imap: 143, imaps: 993, api: 8080, http: 80, https: 443 });
  assert.deepEqual(c.domains, ['localhost']);
  assert.equal(c.store.kind, 'sqlite');
  assert.equal(c.filters.failure, 'tempfail');
  assert.equal(c.sms.provider, 'log');
  assert.match(c.sms.templates.registration, /\$\{firstName\}.*\$\{code\}/);
});

test('HERON_* variables of the contract override defaults', () => {
  const c = loadConfig({
    file: null,
    env: {
      HERON_DATA_DIR: '/tmp/heron-x',
      HERON_HOSTNAME: 'mail.example.test',
      HERON_DOMAINS: 'Example.test, other.test',
      HERON_SMTP_PORT: '2525',
      HERON_IMAP_PORT: '0',
      HERON_BIND: '127.0.0.1',
      HERON_RSPAMD_URL: 'http://127.0.0.1:11333',
      HERON_CLAMD: '127.0.0.1:3310',
      HERON_FILTER_FAILURE: 'accept',
      HERON_QUEUE_RETRY_SCHEDULE: '1s,2s',
      HERON_SMARTHOST: '127.0.0.1:2526',
    },
  });
  assert.equal(c.dataDir, '/tmp/heron-x');
  assert.deepEqual(c.domains, ['example.test', 'other.test']);
  assert.equal(c.ports.smtp, 2525);
  assert.equal(c.ports.imap, 0);
  assert.equal(c.bind, '127.0.0.1');
  assert.equal(c.filters.clamd, '127.0.0.1:3310');
  assert.equal(c.filters.failure, 'accept');
  assert.equal(c.outbound.smarthost, '127.0.0.1:2526');
});

test('bad values are clear errors naming the variable', () => {
  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ HERON_SMTP_PORT: 'twenty-five' }, /HERON_SMTP_PORT/],
    [{ HERON_SMTP_PORT: '70000' }, /HERON_SMTP_PORT/],
    [{ HERON_FILTER_FAILURE: 'maybe' }, /HERON_FILTER_FAILURE/],
    [{ HERON_CLAMD: 'nohostport' }, /HERON_CLAMD/],
    [{ HERON_DOMAINS: 'bad domain!' }, /HERON_DOMAINS|domains/],
    [{ HERON_STORE: 'mongodb' }, /HERON_MONGODB_URI/],
    [{ HERON_TLS_CERT: '/x.pem' }, /together/],
    [{ HERON_JWT_SECRET: 'short' }, /HERON_JWT_SECRET/],
  ];
  for (const [env, re] of bad) {
    assert.throws(() => loadConfig({ env, file: null }), (e: unknown) => e instanceof ConfigError && re.test(e.message), JSON.stringify(env));
  }
});

test('config file is read, env wins over it, unknown keys are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heron-config-'));
  try {
    const file = join(dir, 'heron.json');
    writeFileSync(file, JSON.stringify({ hostname: 'from-file.test', ports: { api: 9000 }, limits: { maxMessageSize: '10M' } }));
    const c = loadConfig({ file, env: { HERON_API_PORT: '9100' } });
    assert.equal(c.hostname, 'from-file.test');
    assert.equal(c.ports.api, 9100);
    assert.equal(c.ports.smtp, 25);
    assert.equal(c.limits.maxMessageSize, 10 * 1024 * 1024);

    writeFileSync(file, JSON.stringify({ hostnmae: 'typo' }));
    assert.throws(() => loadConfig({ file, env: {} }), /hostnmae|Unrecognized/i);
    writeFileSync(file, '{ not json');
    assert.throws(() => loadConfig({ file, env: {} }), /not valid JSON/);
    assert.throws(() => loadConfig({ file: join(dir, 'missing.json'), env: {} }), /cannot read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('durations and sizes', () => {
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.equal(parseDuration('1500'), 1500);
  assert.throws(() => parseDuration('soon'));
  assert.equal(parseSize('10K'), 10240);
  assert.equal(parseSize('2M'), 2 * 1024 * 1024);
  assert.throws(() => parseSize('-1'));
});
