import { createHash, createSign } from 'node:crypto';
import type { Logger } from 'pino';
import type { DkimKey, GetDkimKey } from '../domain/index.js';
import { splitHeader } from '../mail/mime/header-block.js';
import { normalizeLineEnds } from '../mail/mime/line-ends.js';

export type { DkimKey, GetDkimKey };

/** Fields signed when present (RFC 6376 5.4.1's recommendations plus threading and list headers). */
const SIGNED = [
  'from', 'sender', 'reply-to', 'subject', 'date', 'message-id', 'to', 'cc', 'in-reply-to', 'references', 'mime-version',
  'content-type', 'content-transfer-encoding', 'list-id', 'list-unsubscribe', 'list-unsubscribe-post',
];
/**
 * Signed once more than they occur (RFC 6376 5.4.2 / 8.15, "oversigning"): a field added after
 * signing, e.g. a second From above ours, then breaks the signature. From is always in h=, even
 * when the message has none.
 */
const OVERSIGNED = new Set(['from', 'sender', 'reply-to', 'subject', 'date', 'to', 'cc']);

/** RFC 6376 3.4.2 relaxed header canonicalization of one field (name lower-cased, value unfolded, WSP runs collapsed). */
function relaxedField(name: string, value: Buffer): string {
  const v = value
    .toString('latin1')
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
  return `${name.toLowerCase()}:${v}`;
}

/** RFC 6376 3.4.4 relaxed body canonicalization (input has CRLF line ends only). */
function relaxedBody(body: Buffer): Buffer {
  const lines = body.toString('latin1').split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? Buffer.alloc(0) : Buffer.from(lines.join('\r\n') + '\r\n', 'latin1');
}

/**
 * DKIM-signs a message for `domain` (RFC 6376, rsa-sha256, relaxed/relaxed so header folding by
 * relays does not break it) and returns it with the DKIM-Signature field in front. The message is
 * first brought to CRLF line ends (mail/mime's rule), so the fields signed are exactly the fields
 * every later reader sees; From is always signed and oversigned. Without a key the message goes
 * out unsigned rather than not at all.
 */
export async function signMessage(raw: Buffer, domain: string, getKey: GetDkimKey, logger?: Logger, now: Date = new Date()): Promise<Buffer> {
  const key = await getKey(domain.toLowerCase());
  if (!key) {
    logger?.warn({ domain }, 'no DKIM key for domain; sending unsigned');
    return raw;
  }
  const msg = normalizeLineEnds(raw);
  const block = splitHeader(msg);
  const body = msg.subarray(block.bodyStart);
  const bh = createHash('sha256').update(relaxedBody(body)).digest('base64');

  const byName = new Map<string, typeof block.fields>();
  for (const f of block.fields) if (f.key) byName.set(f.key, [...(byName.get(f.key) ?? []), f]);
  const h: string[] = [];
  const hashed: string[] = [];
  for (const name of SIGNED) {
    const instances = byName.get(name) ?? [];
    const count = instances.length + (OVERSIGNED.has(name) || name === 'from' ? 1 : 0);
    if (instances.length === 0 && !OVERSIGNED.has(name)) continue;
    // RFC 6376 5.4.2: repeated names take instances from the bottom up; a missing one hashes as nothing.
    for (let i = 0; i < count; i++) {
      h.push(name);
      const f = instances[instances.length - 1 - i];
      if (f) hashed.push(relaxedField(f.name, f.raw) + '\r\n');
    }
  }
  const t = Math.floor(now.getTime() / 1000);
  const head = `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${key.domain}; s=${key.selector};\r\n\tt=${t}; h=${h.join(':')};\r\n\tbh=${bh};\r\n\tb=`;
  const signer = createSign('RSA-SHA256');
  signer.update(hashed.join(''), 'latin1');
  signer.update(relaxedField('DKIM-Signature', Buffer.from(head.slice(head.indexOf(':') + 1), 'latin1')), 'latin1');
  let b: string;
  try {
    b = signer.sign(key.privateKeyPem, 'base64');
  } catch (err) {
    logger?.error({ domain, err: (err as Error).message }, 'DKIM signing failed; sending unsigned');
    return msg;
  }
  return Buffer.concat([Buffer.from(`${head}${b}\r\n`, 'latin1'), msg]);
}
