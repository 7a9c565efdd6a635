import { headerValue, type HeaderField } from '../mime/index.js';

/**
 * Flags other mail programs keep in mbox headers: Status/X-Status (mutt, Pine, Dovecot's mbox)
 * and X-Mozilla-Status/X-Mozilla-Keys (Thunderbird).
 */
export function mboxFlags(fields: HeaderField[]): string[] {
  const flags = new Set<string>();
  const status = headerValue(fields, 'status') ?? '';
  if (status.includes('R')) flags.add('\\Seen');
  const xStatus = headerValue(fields, 'x-status') ?? '';
  if (xStatus.includes('A')) flags.add('\\Answered');
  if (xStatus.includes('F')) flags.add('\\Flagged');
  if (xStatus.includes('T')) flags.add('\\Draft');
  if (xStatus.includes('D')) flags.add('\\Deleted');
  const mozilla = headerValue(fields, 'x-mozilla-status');
  if (mozilla && /^[0-9a-f]{1,4}$/i.test(mozilla.trim())) {
    const bits = parseInt(mozilla.trim(), 16);
    if (bits & 0x0001) flags.add('\\Seen');
    if (bits & 0x0002) flags.add('\\Answered');
    if (bits & 0x0004) flags.add('\\Flagged');
    if (bits & 0x0008) flags.add('\\Deleted');
    if (bits & 0x1000) flags.add('$Forwarded');
  }
  for (const k of (headerValue(fields, 'x-mozilla-keys') ?? '').split(/\s+/)) if (/^[\x21-\x7e]{1,64}$/.test(k) && !/[(){%*"\\\]]/.test(k)) flags.add(k);
  return [...flags];
}
