import type { User } from './user.js';

/**
 * Checks a protocol login (IMAP LOGIN/AUTHENTICATE, SMTP AUTH): account password or app
 * password, honouring the user's "app passwords only" preference. Null means refused.
 */
export type LoginVerifier = (login: string, password: string, client?: { ip: string }) => Promise<User | null>;
