/**
 * The server side of a TLS connection (implicit TLS on 993, STARTTLS on 143), fed through a JS
 * stream instead of the TCP handle.
 *
 * Why: a TLSSocket on a net.Socket's handle reads into a 64 KiB buffer that each connection keeps
 * for its whole life (libuv's fixed read size becomes the size of Node's encrypted-input BIO).
 * For 10,000 idle IDLE sessions that buffer was the largest part of the server's memory: with the
 * heap fragmented by other work its pages stay resident (bench on a 50,000-message INBOX: 70 KiB
 * of RSS per IDLE connection on the handle, 20 KiB fed from JS; issue 8 item 7). Fed from JS,
 * the input buffer is sized by the chunks that arrive (TLS records of a few hundred bytes for an
 * idle session). The cipher, the certificate, SNI and session
 * tickets are the same: only where the encrypted bytes come from changes. The price is some CPU
 * per chunk in JS (bulk TLS throughput measured within 15% of the handle path on this machine).
 */
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import type { TlsOptions } from './transport.js';

/** A net.Socket seen as a plain Duplex, so that TLSSocket cannot take its handle. */
class SocketPipe extends Duplex {
  constructor(private readonly raw: Socket) {
    super();
    raw.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) raw.pause();
    });
    raw.on('end', () => this.push(null));
    // Errors end the connection quietly: the TLS layer sees the close, never an 'error' to rethrow.
    raw.on('error', () => undefined);
    raw.on('close', () => this.destroy());
  }

  override _read(): void {
    this.raw.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.raw.write(chunk, cb);
  }

  override _final(cb: () => void): void {
    this.raw.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    this.raw.destroy();
    cb(err);
  }
}

/**
 * Starts the server handshake on `raw` with the certificate in force now (SNI answered per
 * handshake). Either side closing closes the other. TCP options (keepalive, Nagle) belong on
 * `raw`: the returned socket has no TCP handle of its own.
 */
export function serverTls(raw: Socket, options: TlsOptions): TLSSocket {
  const secure = new TLSSocket(new SocketPipe(raw), {
    isServer: true,
    secureContext: options.context(),
    SNICallback: (name, cb) => options.sniCallback(name, cb),
  });
  raw.once('close', () => secure.destroy());
  secure.once('close', () => raw.destroy());
  return secure;
}
