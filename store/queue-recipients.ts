/** Lower-case domain of an address (trailing dot dropped); '' without one. */
function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return (at >= 0 ? address.slice(at + 1) : '').toLowerCase().replace(/\.$/, '');
}

/**
 * An outbound message's recipients grouped by domain (one queue entry per domain, retried on its
 * own), duplicates dropped. Throws before anything is stored for no recipients or one without a domain.
 */
export function recipientsByDomain(recipients: readonly string[]): Map<string, string[]> {
  if (recipients.length === 0) throw new Error('enqueue: no recipients');
  const byDomain = new Map<string, string[]>();
  for (const r of recipients) {
    const d = domainOf(r);
    if (!d) throw new Error(`enqueue: recipient without domain: ${JSON.stringify(r)}`);
    const list = byDomain.get(d) ?? [];
    if (!list.includes(r)) list.push(r);
    byDomain.set(d, list);
  }
  return byDomain;
}
