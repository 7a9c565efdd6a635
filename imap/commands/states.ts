import type { SessionState } from '../session/session.js';

/** Where a command is valid (RFC 3501 6, RFC 9051 6). */
export const ANY: readonly SessionState[] = ['not-authenticated', 'authenticated', 'selected'];
export const NOT_AUTHENTICATED: readonly SessionState[] = ['not-authenticated'];
export const AUTHENTICATED: readonly SessionState[] = ['authenticated', 'selected'];
export const SELECTED: readonly SessionState[] = ['selected'];
