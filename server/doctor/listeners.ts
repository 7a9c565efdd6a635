import { connect } from 'node:net';
import type { Config } from '../../config/index.js';
import { fail, pass, withTimeout, type CheckResult } from './check.js';

const ENV: Record<string, string> = {
  smtp: 'HERON_SMTP_PORT',
  submission: 'HERON_SUBMISSION_PORT',
  submissions: 'HERON_SUBMISSIONS_PORT',
  imap: 'HERON_IMAP_PORT',
  imaps: 'HERON_IMAPS_PORT',
  api: 'HERON_API_PORT',
  http: 'HERON_HTTP_PORT',
  https: 'HERON_HTTPS_PORT',
};

/** Where to reach this machine's listeners: the bind address, loopback for a wildcard bind. */
export function listenerHost(config: Config): string {
  return config.bind === '0.0.0.0' || config.bind === '::' || config.bind === '' ? '127.0.0.1' : config.bind;
}

function tcpOpen(host: string, port: number): Promise<void> {
  return withTimeout(
    new Promise<void>((resolve, reject) => {
      const s = connect({ host, port }, () => {
        s.destroy();
        resolve();
      });
      s.once('error', reject);
    }),
    3000,
    `${host}:${port}`,
  );
}

/** Every listener the config turns on accepts a TCP connection (the server is running and bound). */
export async function checkListeners(config: Config, host: string): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const [name, port] of Object.entries(config.ports)) {
    if (!port || !ENV[name]) continue;
    try {
      await tcpOpen(host, port);
      out.push(pass('listeners', `${name} port ${port}`, `accepts connections on ${host}:${port}`));
    } catch (err) {
      out.push(
        fail('listeners', `${name} port ${port}`, `${host}:${port}: ${(err as { code?: string }).code ?? (err as Error).message}`, `start the server (heron start), or set ${ENV[name]}=0 to turn ${name} off; open the port in the firewall`),
      );
    }
  }
  return out;
}
