import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListPattern } from '../../../imap/commands/list-pattern.js';

const m = (pattern: string, name: string): boolean => new ListPattern(pattern).matches(name);

test('`*` crosses the delimiter, `%` does not; INBOX is case-insensitive (RFC 3501 6.3.8)', () => {
  assert.ok(m('*', 'a/b/c'));
  assert.ok(m('%', 'a'));
  assert.ok(!m('%', 'a/b'));
  assert.ok(m('a/%', 'a/b'));
  assert.ok(!m('a/%', 'a/b/c'));
  assert.ok(m('a/*', 'a/b/c'));
  assert.ok(m('*b', 'a/b'));
  assert.ok(m('%b', 'ab'));
  assert.ok(!m('%b', 'a/b'));
  assert.ok(m('a%c', 'abc'));
  assert.ok(m('a%c', 'ac'));
  assert.ok(m('inbox', 'INBOX'));
  assert.ok(m('Inbox/%', 'INBOX/x'));
  assert.ok(!m('inboxes', 'INBOX'));
  assert.ok(m('', '') && !m('', 'a'));
  assert.ok(m('Entwürfe', 'Entwürfe'));
});

test('matchesBelow tells whether a child could match (LSUB %, RECURSIVEMATCH)', () => {
  assert.ok(new ListPattern('a/%').matchesBelow('a'));
  assert.ok(!new ListPattern('a/%').matchesBelow('b'));
  assert.ok(new ListPattern('*').matchesBelow('x'));
});

test('wildcard runs collapse and long patterns stay linear', () => {
  assert.ok(m('%*%*%*%*', 'a/b'));
  assert.ok(m('%%%%', 'ab') && !m('%%%%', 'a/b'));
  const evil = new ListPattern('%*'.repeat(50_000) + 'x');
  const name = 'a'.repeat(1000);
  const started = Date.now();
  for (let i = 0; i < 200; i++) evil.matches(name);
  // A hang guard, not a speed claim: the old regex never returned.
  assert.ok(Date.now() - started < 5000);
  const many = new ListPattern('%a'.repeat(400));
  assert.ok(many.matches('a'.repeat(800)));
  assert.ok(!many.matches('a'.repeat(399)));
  assert.ok(!new ListPattern('x'.repeat(2000)).matches('x'.repeat(1000)));
});
