import { StoreError } from '../domain/index.js';

/** Validation of user names, addresses and domains, the same in every backend. */

export const USERNAME = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/;
// Deliberately narrow: lower-case dot-atom local part (RFC 5321 4.1.2) and an LDH domain.
const ADDRESS = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function normalizeAddress(address: string): string {
  const a = typeof address === 'string' ? address.trim().toLowerCase() : '';
  // RFC 5321 4.5.3.1.3: a path is at most 256 octets.
  if (a.length === 0 || a.length > 254 || !ADDRESS.test(a)) throw new StoreError('invalid', 'invalid address');
  return a;
}

export function normalizeDomain(name: string): string {
  const d = typeof name === 'string' ? name.trim().toLowerCase().replace(/\.$/, '') : '';
  if (d.length === 0 || d.length > 253 || !DOMAIN.test(d)) throw new StoreError('invalid', 'invalid domain name');
  return d;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/** A login or address as looked up: trimmed, lower-case; null for what can name no user. */
export function lookupKey(login: unknown): string | null {
  if (typeof login !== 'string') return null;
  const l = login.trim().toLowerCase();
  return l.length === 0 || l.length > 320 ? null : l;
}

export function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length === 0 || password.length > 1024) throw new StoreError('invalid', 'invalid password');
  return password;
}

export function checkQuota(quota: unknown): number {
  if (!Number.isSafeInteger(quota) || (quota as number) < 0) throw new StoreError('invalid', 'invalid quota');
  return quota as number;
}

export function checkText(field: string, v: unknown, max = 256): string {
  if (typeof v !== 'string' || v.length > max) throw new StoreError('invalid', `invalid ${field}`);
  return v;
}

export function checkPhone(v: unknown): string | null {
  if (v !== null && (typeof v !== 'string' || v.length > 64)) throw new StoreError('invalid', 'invalid phone');
  return v as string | null;
}
