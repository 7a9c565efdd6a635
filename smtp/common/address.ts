/**
 * Splits a mailbox address at its last '@' (a quoted local part may contain '@', RFC 5321
 * 4.1.2). Domains compare case-insensitively; local parts are kept as given and the store
 * resolves them case-insensitively.
 */
export function splitAddress(address: string): { local: string; domain: string } | null {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase().replace(/\.$/, '');
  // RFC 5321 4.5.3.1: local part up to 64 octets, domain up to 255.
  if (Buffer.byteLength(local) > 64 || domain.length > 255) return null;
  if (hasForbiddenChar(address)) return null;
  return { local, domain };
}

/** Controls, space, DEL and angle brackets never belong in a bare address. */
function hasForbiddenChar(address: string): boolean {
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x3c || c === 0x3e) return true;
  }
  return false;
}
