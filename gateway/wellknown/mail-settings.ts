/**
 * What a mail client needs to know, for every document here. A port of 0 means the service is
 * off and is left out of the documents.
 */
export interface MailSettings {
  /** The server's host name, as on its certificate. */
  hostname: string;
  ports: { imaps: number; imap: number; submissions: number; submission: number };
}

export interface ServerEntry {
  protocol: 'imap' | 'smtp';
  port: number;
  /** RFC 8314: implicit TLS first; STARTTLS listed as the fallback. */
  security: 'tls' | 'starttls';
}

/** Incoming then outgoing servers, implicit TLS before STARTTLS (RFC 8314 3.1 prefers implicit TLS). */
export function serverEntries(settings: MailSettings): ServerEntry[] {
  const all: ServerEntry[] = [
    { protocol: 'imap', port: settings.ports.imaps, security: 'tls' },
    { protocol: 'imap', port: settings.ports.imap, security: 'starttls' },
    { protocol: 'smtp', port: settings.ports.submissions, security: 'tls' },
    { protocol: 'smtp', port: settings.ports.submission, security: 'starttls' },
  ];
  return all.filter((e) => e.port > 0);
}

/** RFC 5321 4.5.3.1.3 path limit: longer is not an address any client should send. */
const ADDRESS = /^[^\s@<>"'&]{1,64}@[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/i;

/** The address from a client's request, lower-cased, or null when it is not a plausible address. */
export function parseAddress(text: string | null | undefined): { address: string; domain: string } | null {
  const t = (text ?? '').trim();
  if (t.length > 320 || !ADDRESS.test(t)) return null;
  const address = t.toLowerCase();
  return { address, domain: address.slice(address.lastIndexOf('@') + 1) };
}
