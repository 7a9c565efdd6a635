import type { ConnectionGate, ConnectionTicket } from '../../domain/index.js';

/**
 * The shared per-IP connection gate (limits/) seen per smtp-server session: admitted sessions
 * hold a ticket until their close. smtp-server reports a close even for sockets that never
 * reached onConnect, so only sessions holding a ticket release one.
 */
export class SmtpConnectionCap {
  readonly #tickets = new Map<string, ConnectionTicket>();

  constructor(
    readonly gate: ConnectionGate,
    readonly listener: string,
  ) {}

  async admit(sessionId: string, ip: string): Promise<boolean> {
    const ticket = await this.gate.acquire(this.listener, ip);
    if (!ticket) return false;
    this.#tickets.set(sessionId, ticket);
    return true;
  }

  /** True if the session held a ticket. */
  release(sessionId: string): boolean {
    const t = this.#tickets.get(sessionId);
    if (!t) return false;
    this.#tickets.delete(sessionId);
    t.release();
    return true;
  }
}
