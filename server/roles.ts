import type { Role } from '../domain/index.js';

/** Which role each listener belongs to; listeners not named here (metrics, well-known) run on every node. */
const LISTENER_ROLE: Record<string, Role> = {
  smtp: 'mx',
  submission: 'submission',
  submissions: 'submission',
  imap: 'imap',
  imaps: 'imap',
};

export function listenerEnabled(name: string, roles: readonly Role[]): boolean {
  if (name === 'api') return roles.includes('api') || roles.includes('gateway');
  const role = LISTENER_ROLE[name];
  return role === undefined || roles.includes(role);
}

/**
 * What the HTTP API port serves: `combined` (api + gateway in one process, routes dispatched in
 * process), `instance` (an API instance behind a front gateway), `front` (a gateway proxying
 * to the instances in the registry).
 */
export function apiMode(roles: readonly Role[]): 'combined' | 'instance' | 'front' | 'off' {
  const api = roles.includes('api');
  const gateway = roles.includes('gateway');
  if (api && gateway) return 'combined';
  if (api) return 'instance';
  return gateway ? 'front' : 'off';
}

/** `--role mx,imap` -> validated roles. */
export function parseRoles(text: string, all: readonly Role[]): Role[] {
  const roles = text.split(',').map((r) => r.trim().toLowerCase()).filter(Boolean);
  const bad = roles.filter((r) => !all.includes(r as Role));
  if (bad.length > 0 || roles.length === 0) throw new Error(`--role: expected a comma-separated list of ${all.join(', ')}; got ${JSON.stringify(text)}`);
  return [...new Set(roles)] as Role[];
}
