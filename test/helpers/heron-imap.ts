import { ImapFlow } from 'imapflow';
import { freePort, startHeronProcess } from './heron-process.js';

/**
 * Runs `heron start` on `env` with implicit-TLS IMAP on a free port, hands `fn` an imapflow
 * client logged in as `auth`, then logs out and stops Heron (whatever `fn` did).
 */
export async function withHeronImap(env: NodeJS.ProcessEnv, auth: { user: string; pass: string }, fn: (client: ImapFlow) => Promise<void>): Promise<void> {
  const imaps = await freePort();
  const heron = startHeronProcess({ ...env, HERON_IMAPS_PORT: String(imaps) });
  const client = new ImapFlow({ host: '127.0.0.1', port: imaps, secure: true, tls: { rejectUnauthorized: false }, auth, logger: false });
  try {
    await heron.waitFor(/Heron is running/);
    await client.connect();
    await fn(client);
  } finally {
    await client.logout().catch(() => undefined);
    heron.child.kill('SIGTERM');
    await heron.exited;
  }
}
