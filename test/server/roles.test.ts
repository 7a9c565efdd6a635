import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES } from '../../domain/index.js';
import { apiMode, listenerEnabled, parseRoles } from '../../server/roles.js';
import { baseEnv, heronCli } from '../helpers/heron-process.js';

test('--role: a comma list of known roles, de-duplicated; anything else is refused', () => {
  assert.deepEqual(parseRoles('mx, IMAP,mx', ROLES), ['mx', 'imap']);
  for (const bad of ['', ',', 'mx,web', 'gateway;rm -rf /', 'x'.repeat(10_000)]) assert.throws(() => parseRoles(bad, ROLES), /--role/);
});

test('roles decide listeners and what the API port serves', () => {
  assert.equal(apiMode(ROLES), 'combined');
  assert.equal(apiMode(['api', 'mx']), 'instance');
  assert.equal(apiMode(['gateway']), 'front');
  assert.equal(apiMode(['mx', 'queue']), 'off');
  assert.equal(listenerEnabled('smtp', ['imap']), false);
  assert.equal(listenerEnabled('imaps', ['imap']), true);
  assert.equal(listenerEnabled('submissions', ['submission']), true);
  assert.equal(listenerEnabled('api', ['gateway']), true);
  assert.equal(listenerEnabled('metrics', ['mx']), true, 'not a role of its own: every node');
});

test('heron start --role with an unknown role is a usage error (exit 2)', () => {
  const r = heronCli(['start', '--role', 'mx,bogus'], baseEnv('/nonexistent-heron-dir'));
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--role/);
});
