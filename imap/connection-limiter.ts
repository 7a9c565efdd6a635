/**
 * Open IMAP connections per client IP. A connection counts from accept to close; one over the
 * limit is greeted with BYE (RFC 3501 7.1.5) by imap-core's onConnect rejection.
 */
export interface ConnectionLimiter {
  /** False when the IP is at its limit (the connection is then not counted). */
  acquire(ip: string, sessionId: string): boolean;
  /** True if the session was counted. */
  release(ip: string, sessionId: string): boolean;
  count(ip: string): number;
}

export function createConnectionLimiter(maxPerIp: number): ConnectionLimiter {
  const byIp = new Map<string, Set<string>>();
  return {
    acquire(ip, sessionId) {
      const set = byIp.get(ip) ?? new Set<string>();
      if (set.size >= maxPerIp) return false;
      set.add(sessionId);
      byIp.set(ip, set);
      return true;
    },
    release(ip, sessionId) {
      const set = byIp.get(ip);
      if (!set || !set.delete(sessionId)) return false;
      if (set.size === 0) byIp.delete(ip);
      return true;
    },
    count(ip) {
      return byIp.get(ip)?.size ?? 0;
    },
  };
}
