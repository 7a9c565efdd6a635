/**
 * A minimal client for Gecko's Marionette remote protocol (version 3), enough to drive a real
 * Thunderbird from tests: messages are `length:json`; commands are `[0, id, name, params]` and
 * replies `[1, id, error, result]`.
 */
import { connect, type Socket } from 'node:net';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export class MarionetteError extends Error {
  constructor(
    readonly error: string,
    message: string,
    readonly stacktrace?: string,
  ) {
    super(`${error}: ${message}`);
  }
}

export class Marionette {
  private buf = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private hello: ((v: unknown) => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('marionette connection closed'));
      this.pending.clear();
    });
  }

  /** Connects, retrying while the browser is still starting, and reads the greeting. */
  static async connect(port: number, timeoutMs = 60_000): Promise<Marionette> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(port, '127.0.0.1', () => resolve(s));
          s.once('error', reject);
        });
        const m = new Marionette(socket);
        await new Promise((resolve) => (m.hello = resolve));
        return m;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const colon = this.buf.indexOf(0x3a);
      if (colon < 0) return;
      const len = Number(this.buf.subarray(0, colon).toString('ascii'));
      if (this.buf.length < colon + 1 + len) return;
      const msg = JSON.parse(this.buf.subarray(colon + 1, colon + 1 + len).toString('utf8')) as unknown;
      this.buf = this.buf.subarray(colon + 1 + len);
      if (this.hello) {
        const h = this.hello;
        this.hello = null;
        h(msg);
        continue;
      }
      const [, id, error, result] = msg as [number, number, { error: string; message: string; stacktrace?: string } | null, unknown];
      const p = this.pending.get(id);
      if (!p) continue;
      this.pending.delete(id);
      if (error) p.reject(new MarionetteError(error.error, error.message, error.stacktrace));
      else p.resolve(result);
    }
  }

  command<T = unknown>(name: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    const body = Buffer.from(JSON.stringify([0, id, name, params]), 'utf8');
    this.socket.write(`${body.length}:`);
    this.socket.write(body);
    return new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
  }

  close(): void {
    this.socket.destroy();
  }
}
