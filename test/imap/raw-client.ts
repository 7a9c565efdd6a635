import net from 'node:net';
import tls from 'node:tls';

/**
 * A bare socket for sending exactly the bytes a test wants (hostile input, STARTTLS steps).
 * It speaks no IMAP itself: it collects lines and waits for a given tag.
 */
export class RawSocket {
  private chunks: string[] = [];
  private joined = '';
  private size = 0;
  private waiters: Array<() => void> = [];
  /** Joining on demand keeps a large answer from being re-flattened on every chunk. */
  private get buf(): string {
    if (this.chunks.length) {
      this.joined += this.chunks.join('');
      this.chunks = [];
    }
    return this.joined;
  }
  closed = false;
  constructor(public socket: net.Socket | tls.TLSSocket) {
    this.attach(socket);
  }

  private attach(socket: net.Socket): void {
    socket.setEncoding('binary');
    socket.on('data', (d: string) => {
      this.chunks.push(d);
      this.size += d.length;
      this.onChunk?.(d);
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('error', () => undefined);
  }

  /** `servername`: the host name sent in SNI (implicit TLS only). */
  static async connect(port: number, secure: boolean, servername?: string): Promise<RawSocket> {
    const socket = secure ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false, ...(servername ? { servername } : {}) }) : net.connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once(secure ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    const r = new RawSocket(socket);
    await r.waitFor((t) => /^\* OK/m.test(t));
    return r;
  }

  /** Waits until `pred(all text so far)` holds; bounded so a broken server fails the test instead of hanging it. */
  async waitFor(pred: (text: string) => boolean, boundMs = 15_000): Promise<string> {
    const deadline = Date.now() + boundMs;
    while (!pred(this.buf)) {
      if (this.closed) throw new Error(`connection closed; got: ${this.buf.slice(-300)}`);
      if (Date.now() > deadline) throw new Error(`no answer; got: ${this.buf.slice(-300)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.buf;
  }

  private onChunk: ((d: string) => void) | undefined;

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'binary') : data);
  }

  /** Sends `tag command` and returns the tagged response line. */
  async command(tag: string, command: string | Buffer): Promise<string> {
    this.write(Buffer.concat([Buffer.from(tag + ' '), Buffer.isBuffer(command) ? command : Buffer.from(command, 'binary'), Buffer.from('\r\n')]));
    const re = new RegExp(`(?:^|\\n)(${tag} (?:OK|NO|BAD)[^\\r\\n]*)\\r\\n`);
    // Only new chunks (plus a little overlap) are scanned, so a large answer costs one pass.
    let found: string | undefined;
    let window = '';
    this.onChunk = (d) => {
      if (found) return;
      window = window.slice(-1024) + d;
      const m = re.exec(window);
      if (m) found = m[1];
    };
    try {
      await this.waitFor(() => found !== undefined);
    } finally {
      this.onChunk = undefined;
    }
    return found!;
  }

  since(mark: number): string {
    return this.buf.slice(mark);
  }

  get length(): number {
    return this.size;
  }

  async startTls(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secure = tls.connect({ socket: plain, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.attach(secure);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A session logged in over implicit TLS. */
export async function rawLogin(port: number, user: string, password: string): Promise<RawSocket> {
  const s = await RawSocket.connect(port, true);
  const line = await s.command('L0', `LOGIN ${user} "${password}"`);
  if (!/^L0 OK/.test(line)) throw new Error(`login failed: ${line}`);
  return s;
}

/** Runs a command that must succeed and returns its whole answer (untagged lines and the tagged one). */
export async function exchange(s: RawSocket, tag: string, cmd: string | Buffer, expect: 'OK' | 'NO' | 'BAD' = 'OK'): Promise<string> {
  const mark = s.length;
  const line = await s.command(tag, cmd);
  if (!line.startsWith(`${tag} ${expect}`)) throw new Error(`${String(cmd).slice(0, 200)} -> ${line}\n${s.since(mark).slice(-2000)}`);
  return s.since(mark);
}
