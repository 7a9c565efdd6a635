import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ENV_VARS } from '../../config/index.js';
import { REPO_ROOT } from '../helpers/heron-process.js';
import { join } from 'node:path';

// Every option a user can set is documented: each HERON_* variable appears in the README.
test('the README documents every HERON_* variable', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const missing = ENV_VARS.map((v) => v.name).filter((name) => !readme.includes(name));
  assert.deepEqual(missing, []);
});

// Issue 12: a new reader sees the one-step setup first, then how a mail client connects with
// nothing but the address and the password.
test('the README opens with quickstart, then Thunderbird with address and password only', () => {
  const firstScreen = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').split('\n').slice(0, 40).join('\n');
  const quickstart = firstScreen.indexOf('heron quickstart you@example.com');
  const thunderbird = firstScreen.indexOf('**Thunderbird:**');
  assert.ok(quickstart > 0 && thunderbird > quickstart, 'quickstart, then Thunderbird, on the first screen');
  const tb = firstScreen.slice(thunderbird, firstScreen.indexOf('\n\n', thunderbird));
  assert.match(tb, /`you@example\.com` and the password\. That is all/);
  assert.doesNotMatch(tb, /\b(993|465|587|143|STARTTLS|SSL)\b/, 'no ports or security settings to type');
});
