import type { SecureContext } from 'node:tls';

/** A certificate chain and its private key, PEM. */
export interface TlsMaterial {
  key: string;
  cert: string;
}

/**
 * The certificate every TLS listener serves, which can change while they run (the operator's
 * files replaced, an ACME renewal). Made by server/; listeners read it per handshake, so a new
 * certificate applies to the next connection without a restart.
 */
export interface TlsSource {
  /** The certificate in force now. */
  current(): TlsMaterial;
  /** A context for the certificate in force now (use as `secureContext` when upgrading a socket). */
  context(): SecureContext;
  /** node's `SNICallback` shape: the current context, whatever name the client asked for. */
  sniCallback(servername: string, cb: (err: Error | null, ctx?: SecureContext) => void): void;
  /** Called after every change; returns the function that unsubscribes. */
  onChange(listener: () => void): () => void;
}
