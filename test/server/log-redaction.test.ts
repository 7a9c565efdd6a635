import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../server/logger.js';

/** A logger writing JSON lines into an array, with the production redaction. */
function capture(): { log: ReturnType<typeof createLogger>; lines: () => Array<Record<string, unknown>> } {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = createLogger({ log: { level: 'info', format: 'json' } }, sink);
  return { log, lines: () => out.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('SMTP reply codes, IMAP codes and errno codes are logged as they are', () => {
  const { log, lines } = capture();
  log.info({ event: 'data', code: 250, enhanced: '2.0.0' }, 'DATA done');
  log.info({ command: 'LOGIN', code: 'AUTHENTICATIONFAILED' }, 'imap command refused');
  log.warn({ err: { code: 'ECONNREFUSED' }, reply: { code: 451, enhanced: '4.3.2' } }, 'refused');
  const [data, imap, refused] = lines();
  assert.equal(data!.code, 250);
  assert.equal(imap!.code, 'AUTHENTICATIONFAILED');
  assert.deepEqual(refused!.err, { code: 'ECONNREFUSED' });
  assert.deepEqual(refused!.reply, { code: 451, enhanced: '4.3.2' });
});

test('passwords, tokens and one-time codes stay redacted', () => {
  const { log, lines } = capture();
  log.info({ password: 'hunter2-hunter2', token: 'eyJhbGciOi', user: { password: 'p', refreshToken: 'r' }, authorization: 'Bearer x' }, 'a');
  log.info({ code: '493817', body: { code: '12345678', otp: '111111', totp: '222222', secret: 'JBSWY3DP' } }, 'b');
  const [a, b] = lines();
  assert.equal(a!.password, '[redacted]');
  assert.equal(a!.token, '[redacted]');
  assert.deepEqual(a!.user, { password: '[redacted]', refreshToken: '[redacted]' });
  assert.equal(a!.authorization, '[redacted]');
  assert.equal(b!.code, '[redacted]');
  assert.deepEqual(b!.body, { code: '[redacted]', otp: '[redacted]', totp: '[redacted]', secret: '[redacted]' });
  const text = JSON.stringify([a, b]);
  for (const secret of ['hunter2', 'eyJhbGciOi', '493817', '12345678', '111111', '222222', 'JBSWY3DP']) assert.ok(!text.includes(secret), secret);
});
