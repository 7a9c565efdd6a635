/**
 * One client connection's byte pipes: the socket, upgraded in place by STARTTLS (RFC 3501 6.2.1)
 * and wrapped by COMPRESS=DEFLATE (RFC 4978). Input is handed to a callback and can be paused
 * (backpressure from the command reader); output is a Writable the response writer fills.
 */
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { constants as zlib, createDeflateRaw, createInflateRaw, type DeflateRaw, type InflateRaw } from 'node:zlib';
import type { Readable, Writable } from 'node:stream';
import { serverTls } from './server-tls.js';

/** The certificate in force now and the SNI answer (domain TlsSource's shape). */
export interface TlsOptions {
  /** The context in force now, read per handshake (the default when a client sends no SNI). */
  context(): SecureContext;
  sniCallback(servername: string, cb: (err: Error | null, ctx?: SecureContext) => void): void;
}

export class Transport {
  socket: Socket;
  private input: Readable;
  private output: Writable;
  private inflate: InflateRaw | null = null;
  private deflate: DeflateRaw | null = null;
  private onData: (chunk: Buffer) => void;
  private closed = false;
  /** Bytes written since the last flush (see flush()). */
  private unflushed = false;
  tls: boolean;

  constructor(
    socket: Socket,
    tls: boolean,
    private readonly handlers: { data(chunk: Buffer): void; close(): void },
  ) {
    this.socket = socket;
    this.tls = tls;
    this.input = socket;
    this.output = socket;
    this.onData = (chunk) => this.handlers.data(chunk);
    socket.on('data', this.onData);
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
  }

  get compressed(): boolean {
    return this.deflate !== null;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  pause(): void {
    this.input.pause();
  }

  resume(): void {
    this.input.resume();
  }

  /** False when the output is full: wait for drain() before writing more. */
  write(data: Buffer | string): boolean {
    if (this.closed) return true;
    this.unflushed = true;
    return this.output.write(data);
  }

  /**
   * Pushes everything written so far to the client (a deflate sync flush when compressing).
   * Nothing written since the last flush means no flush: an empty sync-flush block right after
   * the COMPRESS OK is read as plain text by Thunderbird, which only inflates from its next read.
   */
  flush(): void {
    if (this.deflate && !this.closed && this.unflushed) this.deflate.flush(zlib.Z_SYNC_FLUSH);
    this.unflushed = false;
  }

  get needsDrain(): boolean {
    return !this.closed && this.output.writableNeedDrain;
  }

  drain(): Promise<void> {
    if (!this.needsDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const out = this.output;
      const done = (): void => {
        out.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      out.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Replaces the plain socket with TLS. Call only once the tagged OK is on the wire and no input is buffered. */
  async startTls(options: TlsOptions): Promise<void> {
    const plain = this.socket;
    plain.off('data', this.onData);
    const secure = serverTls(plain, options);
    this.socket = secure;
    this.input = secure;
    this.output = secure;
    secure.on('error', () => this.destroy());
    secure.on('close', () => this.destroy());
    await new Promise<void>((resolve, reject) => {
      secure.once('secure', resolve);
      secure.once('error', reject);
      secure.once('close', () => reject(new Error('closed during TLS handshake')));
    });
    this.tls = true;
    secure.on('data', this.onData);
  }

  /** RFC 4978: everything after the tagged OK of COMPRESS is raw DEFLATE in both directions. */
  startCompression(): void {
    const inflate = createInflateRaw();
    const deflate = createDeflateRaw({ level: 6 });
    this.socket.off('data', this.onData);
    this.socket.pipe(inflate);
    inflate.on('data', this.onData);
    inflate.on('error', () => this.destroy());
    deflate.pipe(this.socket);
    deflate.on('error', () => this.destroy());
    this.inflate = inflate;
    this.deflate = deflate;
    this.input = inflate;
    this.output = deflate;
    this.unflushed = false;
  }

  /** Sends what is queued (through DEFLATE's final block when compressing), then closes. */
  async end(): Promise<void> {
    if (this.closed) return;
    const socket = this.socket;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, 5000);
      socket.once('finish', done);
      socket.once('close', done);
      // The deflate stream ends the socket (pipe) after writing its final block.
      if (this.deflate) this.deflate.end();
      else socket.end();
    });
    this.destroy();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.inflate?.destroy();
    this.deflate?.destroy();
    this.socket.destroy();
    this.handlers.close();
  }
}
