import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import type { Logger } from 'pino';
import type { DkimKey, GetDkimKey } from '../domain/index.js';

export type { DkimKey, GetDkimKey };

/**
 * DKIM-signs a message for `domain` (RFC 6376, rsa-sha256, relaxed/relaxed so header folding
 * by relays does not break the signature) and returns it with the DKIM-Signature field in front.
 * Without a key the message goes out unsigned rather than not at all.
 */
export async function signMessage(raw: Buffer, domain: string, getKey: GetDkimKey, logger?: Logger): Promise<Buffer> {
  const key = getKey(domain.toLowerCase());
  if (!key) {
    logger?.warn({ domain }, 'no DKIM key for domain; sending unsigned');
    return raw;
  }
  const signature = { signingDomain: key.domain, selector: key.selector, privateKey: key.privateKeyPem, algorithm: 'rsa-sha256', canonicalization: 'relaxed/relaxed' };
  // mailauth signs once per signatureData entry; the top-level fields alone sign nothing.
  const result = await dkimSign(raw, { ...signature, signatureData: [signature] });
  if (result.errors?.length || !result.signatures.trim()) {
    logger?.error({ domain, errors: result.errors?.map((e) => String(e)) }, 'DKIM signing failed; sending unsigned');
    return raw;
  }
  return Buffer.concat([Buffer.from(result.signatures, 'latin1'), raw]);
}
