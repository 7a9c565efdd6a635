import { createSecureContext } from 'node:tls';
import type { TlsMaterial, TlsSource } from '../../domain/index.js';

export interface TlsHolder extends TlsSource {
  /** Puts a new certificate in force; throws (keeping the old one) if key and certificate do not load together. */
  set(material: TlsMaterial): void;
}

/** The one place the certificate in force is kept; listeners read it per handshake. */
export function createTlsHolder(initial: TlsMaterial): TlsHolder {
  let material = initial;
  let context = createSecureContext(initial);
  const listeners = new Set<() => void>();
  return {
    current: () => material,
    context: () => context,
    sniCallback(_servername, cb) {
      cb(null, context);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      // createSecureContext refuses a key that does not match the certificate ("key values mismatch").
      const nextContext = createSecureContext(next);
      material = next;
      context = nextContext;
      for (const l of listeners) l();
    },
  };
}
