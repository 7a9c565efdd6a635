/**
 * Realistic mail for the store benches, generated deterministically (no corpus download): the
 * header blocks of mail as it arrives today (Received chain, DKIM and ARC signatures,
 * Authentication-Results, List-* headers), bodies of English-like text from a Zipf-distributed
 * vocabulary (common words plus a long tail of rarer ones, as in real prose), and the mix of
 * shapes seen in an inbox: plain text, multipart/alternative with quoted-printable text and HTML
 * (newsletters with markup-heavy HTML), and some messages with a base64 attachment.
 */
import { randomBytes } from 'node:crypto';
import { rng } from '../test/helpers/rng.js';

const COMMON = (
  'the of and to a in is you that it he was for on are as with his they I at be this have from or one had by word but not what all were we when ' +
  'your can said there use an each which she do how their if will up other about out many then them these so some her would make like him into ' +
  'time has look two more write go see number no way could people my than first water been call who oil its now find long down day did get come ' +
  'made may part meeting project report please thanks team update review schedule budget customer order invoice delivery account password ' +
  'quarter revenue release deadline agenda attached document proposal contract support issue ticket server deploy feature design draft notes'
).split(' ');

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'be', 'da', 'fe', 'go', 'hu', 'ji', 'po', 're', 'si', 'tu', 'wa', 'ze', 'an', 'el', 'in', 'or', 'us', 'st', 'ch', 'th'];

export interface Vocabulary {
  words: string[];
  cumulative: Float64Array;
}

/** COMMON first, then `size` made-up words; word i has weight 1/(i+1) (Zipf, s = 1). */
export function vocabulary(size = 40_000, seed = 7): Vocabulary {
  const r = rng(seed);
  const words = [...COMMON];
  const seen = new Set(words);
  while (words.length < COMMON.length + size) {
    let w = '';
    const n = 2 + Math.floor(r() * 3);
    for (let j = 0; j < n; j++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  const cumulative = new Float64Array(words.length);
  let s = 0;
  for (let i = 0; i < words.length; i++) cumulative[i] = s += 1 / (i + 1);
  return { words, cumulative };
}

export function pickWord(v: Vocabulary, r: () => number): string {
  const x = r() * v.cumulative[v.cumulative.length - 1]!;
  let lo = 0;
  let hi = v.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v.cumulative[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return v.words[lo]!;
}

/** Paragraphs of sentences, about `chars` characters. */
export function prose(v: Vocabulary, r: () => number, chars: number): string {
  const out: string[] = [];
  let len = 0;
  while (len < chars) {
    const n = 6 + Math.floor(r() * 14);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(pickWord(v, r));
    let s = words.join(' ');
    s = s[0]!.toUpperCase() + s.slice(1) + (r() < 0.1 ? '?' : '.');
    out.push(s);
    len += s.length + 1;
    if (r() < 0.2) {
      out.push('\n\n');
      len += 2;
    }
  }
  return out.join(' ').replace(/ \n\n /g, '\n\n');
}

/** Lines of at most 76 characters, broken at spaces (as mail clients send plain text). */
function wrap(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/(.{1,72})(\s+|$)/g, '$1\n').trimEnd())
    .join('\n');
}

function qp(text: string): string {
  return wrap(text)
    .split('\n')
    .map((l) => l.replace(/[=\x80-\uffff]/g, (c) => Buffer.from(c).toString('hex').toUpperCase().replace(/(..)/g, '=$1')))
    .join('\r\n');
}

const b64 = (n: number, r: () => number): string => {
  let s = '';
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < n; i++) s += chars[Math.floor(r() * 64)];
  return s;
};

function fold(name: string, value: string): string {
  // Long signature values are folded at 76 as senders do.
  return `${name}: ${value}`.replace(/(.{76})(?=.)/g, '$1\r\n\t');
}

function rfc2822(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}

export interface GeneratedMail {
  raw: Buffer;
  subject: string;
}

/**
 * Message `i` of the corpus, about `textChars` characters of prose; every 7th is a newsletter
 * (HTML-heavy), every 6th carries an attachment of 20-200 KB.
 */
export function makeMail(v: Vocabulary, i: number, opts: { textChars?: number; attachments?: boolean } = {}): GeneratedMail {
  const r = rng(1000 + i);
  const domain = `${pickWord(v, r)}${pickWord(v, r)}.example`;
  const fromName = `${pickWord(v, r)} ${pickWord(v, r)}`;
  const subject = `${r() < 0.3 ? 'Re: ' : ''}${prose(v, r, 40).split('.')[0]}`;
  const date = new Date(Date.UTC(2024, 0, 1) + i * 600_000);
  const msgId = `<${b64(16, r).replace(/[+/]/g, 'x')}.${i}@mail.${domain}>`;
  const boundary = `b1_${b64(24, r).replace(/[+/]/g, 'x')}`;
  const newsletter = i % 7 === 3;
  const withAttachment = opts.attachments !== false && i % 6 === 5;
  const text = prose(v, r, newsletter ? (opts.textChars ?? 2500) / 2 : (opts.textChars ?? 2500));
  const head = [
    `Return-Path: <bounce-${i}@${domain}>`,
    `Received: from mail.${domain} (mail.${domain} [192.0.2.${i % 250}])\r\n\tby mx.heron.test (Heron) with ESMTPS id ${b64(12, r).replace(/[+/]/g, 'x')}\r\n\tfor <user@heron.test>; ${rfc2822(date)}`,
    `Received: by mail.${domain} with SMTP id ${b64(16, r).replace(/[+/]/g, 'x')}; ${rfc2822(date)}`,
    fold('DKIM-Signature', `v=1; a=rsa-sha256; c=relaxed/relaxed; d=${domain}; s=selector1; t=${Math.floor(date.getTime() / 1000)}; h=from:to:subject:date:message-id:mime-version:content-type; bh=${b64(44, r)}; b=${b64(344, r)}`),
    `Authentication-Results: mx.heron.test; dkim=pass header.d=${domain}; spf=pass smtp.mailfrom=${domain}; dmarc=pass header.from=${domain}`,
    `From: ${fromName} <${pickWord(v, r)}@${domain}>`,
    'To: user@heron.test',
    ...(r() < 0.3 ? [`Cc: ${pickWord(v, r)} <${pickWord(v, r)}@heron.test>`] : []),
    `Subject: ${subject}`,
    `Date: ${rfc2822(date)}`,
    `Message-ID: ${msgId}`,
    ...(subject.startsWith('Re: ') ? [`In-Reply-To: <${i - 1}@mail.${domain}>`, `References: <${i - 1}@mail.${domain}>`] : []),
    ...(newsletter ? [`List-Unsubscribe: <https://${domain}/unsub/${b64(32, r).replace(/[+/]/g, 'x')}>`, 'List-Unsubscribe-Post: List-Unsubscribe=One-Click', `List-Id: <news.${domain}>`] : []),
    'MIME-Version: 1.0',
  ];
  const parts: string[] = [];
  if (!newsletter && !withAttachment && r() < 0.4) {
    head.push('Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit');
    return { raw: Buffer.from(head.join('\r\n') + '\r\n\r\n' + wrap(text).replace(/\n/g, '\r\n') + '\r\n'), subject };
  }
  const html = newsletter
    ? `<html><head><style>td{font-family:Arial;font-size:14px}</style></head><body><table width="600" cellpadding="0" cellspacing="0">${text
        .split('\n\n')
        .map((p) => `<tr><td style="padding:12px 24px;color:#333333"><p>${p}</p><a href="https://${domain}/t/${b64(40, r).replace(/[+/]/g, 'x')}">${pickWord(v, r)}</a></td></tr>`)
        .join('\n')}</table></body></html>`
    : `<div dir="ltr">${text.split('\n\n').map((p) => `<div>${p}</div>`).join('<div><br></div>')}</div>`;
  const alternative = [
    `--${boundary}a`,
    'Content-Type: text/plain; charset="UTF-8"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    qp(text),
    `--${boundary}a`,
    'Content-Type: text/html; charset="UTF-8"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    qp(html),
    `--${boundary}a--`,
  ].join('\r\n');
  if (!withAttachment) {
    head.push(`Content-Type: multipart/alternative; boundary="${boundary}a"`);
    return { raw: Buffer.from(head.join('\r\n') + '\r\n\r\n' + alternative + '\r\n'), subject };
  }
  head.push(`Content-Type: multipart/mixed; boundary="${boundary}m"`);
  const size = 20_000 + Math.floor(r() * 180_000);
  parts.push(
    `--${boundary}m`,
    `Content-Type: multipart/alternative; boundary="${boundary}a"`,
    '',
    alternative,
    `--${boundary}m`,
    `Content-Type: application/pdf; name="${pickWord(v, r)}-${i}.pdf"`,
    `Content-Disposition: attachment; filename="${pickWord(v, r)}-${i}.pdf"`,
    'Content-Transfer-Encoding: base64',
    '',
    randomBytes(size).toString('base64').replace(/.{76}(?=.)/g, '$&\r\n'),
    `--${boundary}m--`,
  );
  return { raw: Buffer.from(head.join('\r\n') + '\r\n\r\n' + parts.join('\r\n') + '\r\n'), subject };
}
