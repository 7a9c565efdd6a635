import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { ensureCommand } from './debian.js';

/** A port free on UDP and TCP a moment ago (dnsmasq binds both). */
async function freeUdpPort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createSocket('udp4');
      s.once('error', reject);
      s.bind(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
    const tcpFree = await new Promise<boolean>((resolve) => {
      const t = createServer();
      t.once('error', () => resolve(false));
      t.listen(port, '127.0.0.1', () => t.close(() => resolve(true)));
    });
    if (tcpFree) return port;
  }
}

/** dnsmasq options for zone-file lines as `heron domain dns` prints them. */
export function dnsmasqOptions(zoneLines: string[]): string[] {
  const out: string[] = [];
  for (const line of zoneLines) {
    const m = /^(\S+)\. IN (MX|TXT|SRV|CNAME) (.*)$/.exec(line.trim());
    if (!m) continue;
    const [, name, type, data] = m as unknown as [string, string, string, string];
    if (type === 'MX') {
      const [pref, host] = data.split(' ');
      out.push(`--mx-host=${name},${host!.replace(/\.$/, '')},${pref}`);
    } else if (type === 'TXT') {
      // On dnsmasq's command line quotes are literal; each comma starts another string of the record.
      out.push(`--txt-record=${name},${(data.match(/"[^"]*"/g) ?? []).map((q) => q.slice(1, -1)).join(',')}`);
    } else if (type === 'SRV') {
      const [prio, weight, port, target] = data.split(' ');
      out.push(target === '.' ? `--srv-host=${name}` : `--srv-host=${name},${target!.replace(/\.$/, '')},${port},${prio},${weight}`);
    } else {
      out.push(`--cname=${name},${data.replace(/\.$/, '')}`);
    }
  }
  return out;
}

export interface LocalDns {
  /** host:port for HERON_DNS_SERVER / --dns. */
  server: string;
  stop(): Promise<void>;
}

/** dnsmasq on a loopback port of its own answering only the given records (nothing leaves the machine). */
export async function startDnsmasq(options: string[]): Promise<LocalDns> {
  const bin = ensureCommand('dnsmasq', 'dnsmasq-base');
  // dnsmasq also listens on TCP, and the port may be taken between the probe and its bind (other
  // test files run at the same time): another port then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(bin, await freeUdpPort(), options);
    } catch (err) {
      if (attempt >= 5 || !/Address already in use/.test((err as Error).message)) throw err;
    }
  }
}

async function startOn(bin: string, port: number, options: string[]): Promise<LocalDns> {
  const child: ChildProcess = spawn(
    bin,
    ['--keep-in-foreground', '--conf-file=/dev/null', `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--no-resolv', '--no-hosts', '--no-poll', '--pid-file', ...options],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close' comes after its standard error is read to the end (the reason it stopped).
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // Ready when it answers a query on the port (a loaded machine may take seconds to start it).
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await closed;
      throw new Error(`dnsmasq exited: ${stderr}`);
    }
    const ok = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      const q = Buffer.from('abcd01000001000000000000076578616d706c65047465737400000f0001', 'hex');
      const timer = setTimeout(() => (s.close(), resolve(false)), 200);
      s.on('message', () => (clearTimeout(timer), s.close(), resolve(true)));
      s.send(q, port, '127.0.0.1');
    });
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`dnsmasq did not answer: ${stderr}`);
    }
  }
  return {
    server: `127.0.0.1:${port}`,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return closed;
    },
  };
}
