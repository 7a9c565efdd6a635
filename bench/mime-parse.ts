/**
 * mail/mime parse throughput: messages/s and MB/s of parseMessage (the pure, worker-safe half of
 * prepareMessage) for a typical 10 KB message, a 1 MB message with an attachment and a 20 MB one,
 * plus prepareMessage (parse + cutting blobs) with an in-memory blob store. Rates are per second
 * of CPU time on one core. Prints figures only.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobStore } from '../domain/index.js';
import { parseMessage, prepareMessage } from '../mail/mime/index.js';

function message(bodyKb: number, attachmentBytes: number): Buffer {
  const para = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. ';
  const text = Array.from({ length: Math.ceil((bodyKb * 1024) / 2 / (para.length + 2)) }, () => para).join('\r\n');
  const html = `<html><body>${text.split('\r\n').map((l) => `<p>${l}</p>`).join('\r\n')}</body></html>`;
  const att = Buffer.alloc(attachmentBytes);
  for (let i = 0; i < att.length; i++) att[i] = (i * 2654435761) >>> 24;
  const parts = [
    'From: "Ann Example" <ann@example.com>',
    'To: Bob <bob@example.com>, carl@example.com',
    'Subject: =?utf-8?q?Quarterly_report_=E2=80=93_draft?=',
    'Date: Tue, 3 Mar 2026 10:00:00 +0100',
    'Message-ID: <bench-1@example.com>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="mixed"',
    '',
    '--mixed',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    text,
    '--alt',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    html,
    '--alt--',
  ];
  if (attachmentBytes > 0) {
    parts.push('--mixed', 'Content-Type: application/pdf; name="report.pdf"', 'Content-Disposition: attachment; filename="report.pdf"', 'Content-Transfer-Encoding: base64', '', att.toString('base64').replace(/.{76}/g, '$&\r\n'));
  }
  parts.push('--mixed--', '');
  return Buffer.from(parts.join('\r\n'));
}

function memoryBlobs(): BlobStore {
  const m = new Map<string, Buffer>();
  return {
    async put(data) {
      const id = createHash('sha256').update(data).digest('hex');
      m.set(id, data);
      return { id, size: data.length };
    },
    async has(id) {
      return m.has(id);
    },
    createReadStream(id) {
      return Readable.from([m.get(id) ?? Buffer.alloc(0)]);
    },
    async delete(id) {
      m.delete(id);
    },
  };
}

/**
 * Runs `fn` for about `ms` milliseconds after a warm-up; returns runs per second of this
 * process's CPU time (user + system), so other load on a shared machine does not skew it.
 */
async function rate(fn: () => unknown, ms = 2000): Promise<number> {
  // Warm-up long enough for the JIT to reach its top tier.
  const warm = performance.now();
  while (performance.now() - warm < ms / 2) await fn();
  let n = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - start < ms) {
    await fn();
    n++;
  }
  const used = process.cpuUsage(cpu);
  return (n * 1e6) / (used.user + used.system);
}

export async function runMimeParseBench(): Promise<Record<string, number | string>> {
  const small = message(9, 0);
  const medium = message(20, 700 * 1024);
  const large = message(50, 15 * 1024 * 1024);
  const out: Record<string, number | string> = {};
  // The parser's hot paths take a few seconds of work to reach V8's top tier; measure after that.
  const warm = performance.now();
  while (performance.now() - warm < 4000) {
    parseMessage(small);
    parseMessage(medium);
  }
  const smallRate = await rate(() => parseMessage(small));
  out[`parse ${(small.length / 1024).toFixed(1)} KB msg/s`] = smallRate;
  out['parse 10 KB MB/s'] = (smallRate * small.length) / 1e6;
  const medRate = await rate(() => parseMessage(medium));
  out[`parse ${(medium.length / 1e6).toFixed(1)} MB msg MB/s`] = (medRate * medium.length) / 1e6;
  const largeRate = await rate(() => parseMessage(large), 4000);
  out[`parse ${(large.length / 1e6).toFixed(1)} MB msg MB/s`] = (largeRate * large.length) / 1e6;
  const blobs = memoryBlobs();
  out['prepare 10 KB msg/s (memory blobs)'] = await rate(() => prepareMessage(small, blobs));
  const prepMed = await rate(() => prepareMessage(medium, blobs));
  out[`prepare ${(medium.length / 1e6).toFixed(1)} MB MB/s (memory blobs)`] = (prepMed * medium.length) / 1e6;
  return out;
}
