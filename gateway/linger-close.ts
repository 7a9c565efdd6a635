import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface LingerOptions {
  /** Bytes of unwanted request body read and dropped before the socket is cut. */
  maxBytes: number;
  /** How long the client gets to finish sending and read the answer. */
  maxMs: number;
}

export const DEFAULT_LINGER: LingerOptions = { maxBytes: 64 * 1024 * 1024, maxMs: 10_000 };

/**
 * Answers a request whose body we refuse (413, 415, 503) without a TCP reset. Closing a socket
 * that still has unread input makes the kernel send RST, and a client still sending (Python's
 * urllib sends the whole body before it reads) then loses the answer (issue 9). So the answer
 * goes out with `Connection: close`, the socket is half-closed (FIN) once it is written, and
 * whatever the client still sends is read and dropped, within a byte and time budget, until it
 * closes its side.
 */
export function lingerClose(req: IncomingMessage, res: ServerResponse, opts: LingerOptions = DEFAULT_LINGER): void {
  res.shouldKeepAlive = false;
  if (!res.headersSent) res.setHeader('Connection', 'close');
  const socket = req.socket as Socket & { destroySoon?: () => void };
  if ((socket as { heronLinger?: boolean }).heronLinger) return;
  (socket as { heronLinger?: boolean }).heronLinger = true;
  // node:http ends a `Connection: close` exchange with socket.destroySoon(); this one lingers instead.
  socket.destroySoon = () => {
    let left = opts.maxBytes;
    const timer = setTimeout(() => socket.destroy(), opts.maxMs);
    timer.unref();
    socket.on('data', (chunk: Buffer) => {
      left -= chunk.length;
      if (left < 0) socket.destroy();
    });
    socket.once('end', () => socket.destroy());
    socket.once('close', () => clearTimeout(timer));
    socket.end();
    socket.resume();
    // node:http stops the handle itself (readStop) when the request body backs up, and only
    // restarts it from IncomingMessage._read; once the answer is out nobody reads the request,
    // so the handle is restarted here the way node:http's own readStart does.
    const handle = (socket as unknown as { _handle?: { reading?: boolean; readStart?: () => void } })._handle;
    if (handle?.readStart && !handle.reading) {
      handle.reading = true;
      handle.readStart();
    }
  };
  // The body nobody reads is pulled off the wire and dropped (node:http does this too once the answer is sent).
  req.resume();
}
