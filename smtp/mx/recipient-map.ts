import type { SMTPServerAddress } from 'smtp-server';
import type { CheckRecipient } from '../../domain/index.js';

/**
 * RCPT resolves each address to a user once; DATA needs the result. smtp-server keeps the very
 * address object it passed to onRcptTo in session.envelope.rcptTo, so a WeakMap keyed by that
 * object carries the resolution and forgets it with the envelope (RSET, new transaction).
 */
export class RecipientMap {
  readonly #map = new WeakMap<SMTPServerAddress, CheckRecipient>();

  set(address: SMTPServerAddress, recipient: CheckRecipient): void {
    this.#map.set(address, recipient);
  }

  resolve(rcptTo: readonly SMTPServerAddress[]): CheckRecipient[] {
    const out: CheckRecipient[] = [];
    for (const a of rcptTo) {
      const r = this.#map.get(a);
      if (r) out.push(r);
    }
    return out;
  }
}
