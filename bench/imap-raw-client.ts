/**
 * A bare IMAP client over TLS for timing: the same bytes go to Heron and to Dovecot, and each
 * command is timed to its tagged answer. Answers are scanned, not kept, except a short tail and
 * the first untagged line of small answers (hit counts).
 */
import { connect, type TLSSocket } from 'node:tls';

export interface Timed {
  ms: number;
  bytes: number;
  /** Untagged answer text when it was small (< 1 MB), e.g. a SEARCH line. */
  text: string;
}

export class RawImap {
  private tail = '';
  private small: string[] = [];
  private bytes = 0;
  private wait: ((line: string) => void) | null = null;
  private tag = '';
  private n = 0;

  private constructor(private readonly socket: TLSSocket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.bytes += d.length;
      if (this.bytes < 1024 * 1024) this.small.push(d);
      this.tail = (this.tail + d).slice(-4096);
      if (!this.wait) return;
      const at = this.tail.lastIndexOf(`\r\n${this.tag} `);
      const start = at >= 0 ? at + 2 : this.tail.startsWith(`${this.tag} `) ? 0 : -1;
      if (start < 0) return;
      const end = this.tail.indexOf('\r\n', start);
      if (end < 0) return;
      const w = this.wait;
      this.wait = null;
      w(this.tail.slice(start, end));
    });
  }

  static async connect(port: number): Promise<RawImap> {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    const c = new RawImap(socket);
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (c.tail.includes('\r\n')) resolve();
        else setTimeout(check, 5);
      };
      check();
    });
    return c;
  }

  async run(command: string): Promise<Timed & { status: string }> {
    this.tag = `t${++this.n}`;
    this.tail = '';
    this.small = [];
    this.bytes = 0;
    const started = process.hrtime.bigint();
    const done = new Promise<string>((resolve) => (this.wait = resolve));
    this.socket.write(`${this.tag} ${command}\r\n`);
    const line = await done;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { ms, bytes: this.bytes, text: this.bytes < 1024 * 1024 ? this.small.join('') : '', status: line.split(' ')[1] ?? '' };
  }

  close(): void {
    this.socket.end();
  }
}

/** The median of `runs` timings of a command (the first run also warms caches). */
export async function median(c: RawImap, command: string, runs = 3): Promise<Timed> {
  const all: Timed[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await c.run(command);
    if (r.status !== 'OK') throw new Error(`${command}: ${r.status} ${r.text.slice(-200)}`);
    all.push(r);
  }
  all.sort((a, b) => a.ms - b.ms);
  return all[Math.floor(all.length / 2)]!;
}
