import type { SmsMessage, SmsSender } from '../../domain/sms.js';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  from: string;
  /** Default https://api.twilio.com; a test points it at a local server. */
  baseUrl?: string;
  timeoutMs?: number;
}

/** Twilio's Messages resource: form-encoded POST with HTTP basic auth (SID:token). */
export function createTwilioSmsProvider(opts: TwilioOptions): SmsSender {
  const base = (opts.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}/Messages.json`;
  const auth = 'Basic ' + Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64');
  return {
    async send(m: SmsMessage) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: m.to, From: opts.from, Body: m.text }).toString(),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`twilio answered ${res.status}: ${text.slice(0, 200)}`);
    },
  };
}
