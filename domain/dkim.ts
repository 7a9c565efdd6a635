/** A domain's DKIM signing key (RFC 6376); made and kept by server/, used by outbound/. */
export interface DkimKey {
  domain: string;
  selector: string;
  privateKeyPem: string;
  /** Base64 DER SubjectPublicKeyInfo, as the p= tag of the DNS record wants it. */
  publicKeyBase64: string;
}

/** The key to sign mail from `domain` with, or null (not a local domain: sent unsigned). May read the shared store. */
export type GetDkimKey = (domain: string) => DkimKey | null | Promise<DkimKey | null>;
