import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { baseEnv, freePort, heronCli, startHeronProcess, type HeronProcess } from '../helpers/heron-process.js';

export interface NodePorts {
  smtp: number;
  submission: number;
  imap: number;
  api: number;
}

export interface ClusterNode {
  name: string;
  ports: NodePorts;
  process: HeronProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Several `heron start` processes on one machine sharing one store (a shared SQLite data
 * directory, or one MongoDB-compatible server) and one Redis, each with ports of its own.
 */
export class TestCluster {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-cluster-'));
  readonly nodes: ClusterNode[] = [];
  readonly configFile = path.join(this.dataDir, 'heron.json');

  constructor(
    readonly redisUrl: string,
    readonly prefix: string,
    readonly storeEnv: Record<string, string> = {},
    config: Record<string, unknown> = {},
  ) {
    fs.writeFileSync(this.configFile, JSON.stringify(config));
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return baseEnv(this.dataDir, {
      HERON_CONFIG: this.configFile,
      HERON_REDIS_URL: this.redisUrl,
      HERON_REDIS_PREFIX: this.prefix,
      HERON_HEARTBEAT_INTERVAL: '1s',
      HERON_ADVERTISE_HOST: '127.0.0.1',
      HERON_LOG_LEVEL: 'info',
      ...this.storeEnv,
      ...extra,
    });
  }

  cli(args: string[]) {
    return heronCli(args, this.env());
  }

  async start(name: string, roles: string): Promise<ClusterNode> {
    const ports = { smtp: await freePort(), submission: await freePort(), imap: await freePort(), api: await freePort() };
    const proc = startHeronProcess(
      this.env({
        HERON_ROLES: roles,
        HERON_SMTP_PORT: String(ports.smtp),
        HERON_SUBMISSION_PORT: String(ports.submission),
        HERON_IMAP_PORT: String(ports.imap),
        HERON_API_PORT: String(ports.api),
      }),
    );
    await proc.waitFor(/heron started/);
    const node: ClusterNode = {
      name,
      ports,
      process: proc,
      async stop(signal = 'SIGTERM') {
        if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
        proc.child.kill(signal);
        await proc.exited;
      },
    };
    this.nodes.push(node);
    return node;
  }

  async close(): Promise<void> {
    for (const n of this.nodes) await n.stop('SIGKILL');
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export async function api(port: number, method: string, p: string, opts: { token?: string; body?: unknown } = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${p}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, json: json as Record<string, unknown> & { error?: { code: string } }, headers: res.headers };
}

/** imapflow logged in over STARTTLS (the self-signed certificate accepted), no automatic IDLE. */
export async function imapClient(port: number, user: string, pass: string): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    doSTARTTLS: true,
    auth: { user, pass },
    tls: { rejectUnauthorized: false },
    logger: false,
    disableAutoIdle: true,
  } as ConstructorParameters<typeof ImapFlow>[0]);
  await client.connect();
  return client;
}
