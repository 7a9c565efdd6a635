import type { DkimKey } from './dkim.js';

/**
 * DKIM signing keys, one per domain, kept in the store so every node signs with the same key
 * (RFC 6376 3.6.1: the public half is published once in DNS). Keys are made by server/.
 */
export interface DkimKeyStore {
  get(domain: string): Promise<DkimKey | null>;
  /** Stores `key` unless its domain already has one and returns the stored key: the first writer wins, so racing nodes agree. */
  putIfAbsent(key: DkimKey): Promise<DkimKey>;
  list(): Promise<DkimKey[]>;
  /** Forgets a domain's key (a removed domain); idempotent. */
  delete(domain: string): Promise<void>;
}

/**
 * Named secrets every node shares: the JWT signing secret, the self-signed TLS pair, server-side
 * keys. Values are opaque strings (JSON where a secret has parts); they never appear in logs.
 */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  /** Stores `value` unless `name` is set and returns the stored value (first writer wins). */
  putIfAbsent(name: string, value: string): Promise<string>;
  /** Replaces a secret (rotation); other nodes learn of it through the cluster bus. */
  set(name: string, value: string): Promise<void>;
}
