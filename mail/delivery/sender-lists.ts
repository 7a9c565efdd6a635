/**
 * Whether a sender matches a user's allow/block list. Entries are lower-case addresses or
 * `@domain`. The null reverse-path (bounces, RFC 5321 4.5.5) matches nothing.
 */
export function senderListed(sender: string, list: readonly string[]): boolean {
  if (!sender || list.length === 0) return false;
  const lower = sender.toLowerCase();
  const at = lower.lastIndexOf('@');
  const domain = at >= 0 ? lower.slice(at) : null;
  return list.some((entry) => {
    const e = entry.toLowerCase();
    return e === lower || (domain !== null && e === domain);
  });
}
