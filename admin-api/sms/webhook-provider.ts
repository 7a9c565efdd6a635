import type { SmsMessage, SmsSender } from '../../domain/sms.js';

/** POSTs `{to, text, template, userId}` as JSON to a URL; any non-2xx answer is a failure. */
export function createWebhookSmsProvider(opts: { url: string; timeoutMs?: number; headers?: Record<string, string> }): SmsSender {
  const timeoutMs = opts.timeoutMs ?? 5000;
  return {
    async send(m: SmsMessage) {
      const res = await fetch(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...opts.headers },
        body: JSON.stringify({ to: m.to, text: m.text, template: m.template, userId: m.userId }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`sms webhook answered ${res.status}`);
    },
  };
}
