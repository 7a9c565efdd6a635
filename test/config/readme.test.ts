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
