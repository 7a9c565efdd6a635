/**
 * Counts open connections per client address. A session is counted once, and released only
 * if it was counted, because smtp-server reports a close even for sockets that never reached
 * onConnect.
 */
export class PerIpLimiter {
  readonly #max: number;
  readonly #byIp = new Map<string, number>();
  readonly #sessions = new Map<string, string>();

  constructor(max: number) {
    this.#max = max;
  }

  /** False when the address already holds `max` sessions. */
  acquire(sessionId: string, ip: string): boolean {
    const open = this.#byIp.get(ip) ?? 0;
    if (this.#max > 0 && open >= this.#max) return false;
    this.#byIp.set(ip, open + 1);
    this.#sessions.set(sessionId, ip);
    return true;
  }

  release(sessionId: string): void {
    const ip = this.#sessions.get(sessionId);
    if (ip === undefined) return;
    this.#sessions.delete(sessionId);
    const open = (this.#byIp.get(ip) ?? 1) - 1;
    if (open <= 0) this.#byIp.delete(ip);
    else this.#byIp.set(ip, open);
  }

  get open(): number {
    return this.#sessions.size;
  }
}
