import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rspamdVerdict } from '../../filters/index.js';

const base = { score: 4, required_score: 15, symbols: { A: { name: 'A' }, B: { name: 'B' } } };

test('soft reject and greylist map to 451 4.7.1 with rspamd message', () => {
  for (const action of ['soft reject', 'greylist']) {
    const v = rspamdVerdict({ ...base, action, messages: { smtp_message: 'Try again later' } });
    assert.equal(v.action, 'tempfail');
    assert.equal(v.reply?.code, 451);
    assert.equal(v.reply?.enhanced, '4.7.1');
  }
});

test('rewrite subject is junk; reject without smtp_message still 550 5.7.1', () => {
  assert.equal(rspamdVerdict({ ...base, action: 'rewrite subject', subject: '*** SPAM ***' }).action, 'junk');
  const r = rspamdVerdict({ ...base, action: 'reject' });
  assert.equal(r.reply?.code, 550);
  assert.equal(r.reply?.enhanced, '5.7.1');
});

test('an unknown action throws (goes through the failure policy, never a silent pass)', () => {
  assert.throws(() => rspamdVerdict({ ...base, action: 'quarantine-custom' }), /unknown rspamd action/);
});

test('a hostile smtp_message cannot inject header lines or SMTP lines', () => {
  const v = rspamdVerdict({ ...base, action: 'reject', messages: { smtp_message: 'bad\r\n250 OK\0' } });
  assert.doesNotMatch(v.reply!.message, /[\r\n\0]/);
});
