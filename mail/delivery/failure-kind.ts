/**
 * Whether a failure while preparing a message is the system's (disk, I/O: worth a retry, 4xx)
 * or the message's own (the codec cannot process its structure: the same bytes would fail on
 * every retry, so 5xx, RFC 3463 5.6.0, and the sender's MTA bounces it).
 */
export function isSystemError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}
