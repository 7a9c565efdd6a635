import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createSmsSender } from '../../admin-api/index.js';
import { renderTemplate, DEFAULT_SMS_TEMPLATES } from '../../admin-api/sms/index.js';

/** A local server playing Twilio's Messages endpoint. */
async function fakeCarrier(status: number) {
  const seen: Array<{ url: string; auth: string; form: URLSearchParams }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization ?? '', form: new URLSearchParams(body) });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"sid":"SM1"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('SMS service', () => {
  test('default registration template', () => {
    assert.equal(renderTemplate(DEFAULT_SMS_TEMPLATES.registration, { firstName: 'Ann', code: '123456' }), 'Thanks Ann for registering, your one time password is 123456');
    assert.equal(renderTemplate('Hi ${who}${code}', { code: '1' }), 'Hi 1');
  });

  test('twilio provider posts the Messages form with basic auth to the configured base URL', async () => {
    const carrier = await fakeCarrier(201);
    try {
      const sms = createSmsSender({ provider: 'twilio', logger: pino({ level: 'silent' }), twilio: { accountSid: 'AC123', authToken: 'tok', from: '+15550000000', baseUrl: carrier.base } });
      await sms.send({ to: '+15551112222', text: 'code 654321', template: 'login', userId: '7' });
      assert.equal(carrier.seen.length, 1);
      assert.equal(carrier.seen[0]!.url, '/2010-04-01/Accounts/AC123/Messages.json');
      assert.equal(carrier.seen[0]!.auth, 'Basic ' + Buffer.from('AC123:tok').toString('base64'));
      assert.equal(carrier.seen[0]!.form.get('To'), '+15551112222');
      assert.equal(carrier.seen[0]!.form.get('From'), '+15550000000');
      assert.equal(carrier.seen[0]!.form.get('Body'), 'code 654321');
    } finally {
      await carrier.close();
    }
  });

  test('failures are retried a bounded number of times, then reported', async () => {
    const carrier = await fakeCarrier(503);
    try {
      const sms = createSmsSender({ provider: 'twilio', logger: pino({ level: 'silent' }), attempts: 3, backoffMs: 1, twilio: { accountSid: 'A', authToken: 'B', from: '+1', baseUrl: carrier.base } });
      await assert.rejects(sms.send({ to: '+1', text: 't', template: 'login', userId: '1' }), /503/);
      assert.equal(carrier.seen.length, 3);
    } finally {
      await carrier.close();
    }
  });

  test('log provider writes one structured line', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(chunk.toString()); cb(); } });
    const sms = createSmsSender({ provider: 'log', logger: pino(sink) });
    await sms.send({ to: '+1555', text: 'Thanks Ann, 123456', template: 'registration', userId: '1' });
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /123456/);
  });

  test('misconfiguration is a startup error', () => {
    assert.throws(() => createSmsSender({ provider: 'webhook', logger: pino({ level: 'silent' }) }), /webhookUrl/);
  });
});
