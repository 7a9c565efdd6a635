/**
 * A real `heron start` child process set up the way a small deployment is: host name
 * mail.example.test, domain example.test, a certificate for that name issued by a (test) CA that
 * clients trust, every mail listener on a free loopback port, a temp data directory. Thunderbird
 * resolves the names to 127.0.0.1 (`network.dns.localDomains`) and connects by name, with SNI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv, freePort, heronCli, startHeronProcess, type HeronProcess } from '../heron-process.js';
import { createTestCa, type TestCa } from '../test-ca.js';

export const HOSTNAME = 'mail.example.test';
export const DOMAIN = 'example.test';
/** The names a real certificate for this deployment covers (setup's ACME asks for the same). */
export const CERT_NAMES = [HOSTNAME, `autoconfig.${DOMAIN}`, `autodiscover.${DOMAIN}`, `mta-sts.${DOMAIN}`, DOMAIN];

export interface MailPorts {
  smtp: number;
  submission: number;
  submissions: number;
  imap: number;
  imaps: number;
  http: number;
  https: number;
}

export interface MailHost {
  ports: MailPorts;
  ca: TestCa;
  heron: HeronProcess;
  /** Stops Heron and removes the data directory and the CA. */
  stop(): Promise<void>;
}

export interface MailHostOptions {
  /** address -> password, created with the CLI before the server starts. */
  users: Record<string, string>;
  /** Fixed ports instead of free ones (the well-known HTTP/HTTPS listener is off unless given here). */
  ports?: Partial<MailPorts>;
}

export async function startMailHost(opts: MailHostOptions): Promise<MailHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'heron-tb-data-'));
  const ca = createTestCa('Heron Thunderbird Test CA');
  const leaf = ca.issue(CERT_NAMES);
  const ports: MailPorts = {
    smtp: opts.ports?.smtp ?? (await freePort()),
    submission: opts.ports?.submission ?? (await freePort()),
    submissions: opts.ports?.submissions ?? (await freePort()),
    imap: opts.ports?.imap ?? (await freePort()),
    imaps: opts.ports?.imaps ?? (await freePort()),
    http: opts.ports?.http ?? 0,
    https: opts.ports?.https ?? 0,
  };
  const env = baseEnv(dataDir, {
    HERON_HOSTNAME: HOSTNAME,
    HERON_DOMAINS: DOMAIN,
    HERON_TLS_CERT: leaf.certPath,
    HERON_TLS_KEY: leaf.keyPath,
    HERON_SMTP_PORT: String(ports.smtp),
    HERON_SUBMISSION_PORT: String(ports.submission),
    HERON_SUBMISSIONS_PORT: String(ports.submissions),
    HERON_IMAP_PORT: String(ports.imap),
    HERON_IMAPS_PORT: String(ports.imaps),
    HERON_HTTP_PORT: String(ports.http),
    HERON_HTTPS_PORT: String(ports.https),
  });
  const cleanup = () => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(ca.dir, { recursive: true, force: true });
  };
  try {
    for (const [address, password] of Object.entries(opts.users)) {
      const r = heronCli(['user', 'add', address, '--password-file', '-'], env, { input: `${password}\n` });
      if (r.status !== 0) throw new Error(`heron user add ${address} failed:\n${r.stdout}${r.stderr}`);
    }
  } catch (err) {
    cleanup();
    throw err;
  }
  const heron = startHeronProcess(env);
  // Nothing outlives the test process, even when it ends without running its after() hooks.
  const onExit = () => {
    heron.child.kill('SIGKILL');
    cleanup();
  };
  process.once('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    if (heron.child.exitCode === null && heron.child.signalCode === null) {
      heron.child.kill('SIGTERM');
      const killer = setTimeout(() => heron.child.kill('SIGKILL'), 15_000);
      await heron.exited;
      clearTimeout(killer);
    }
    cleanup();
  };
  try {
    await heron.waitFor(/Heron is running/);
  } catch (err) {
    await stop();
    throw err;
  }
  return { ports, ca, heron, stop };
}
