import type http from 'node:http';
import type { Server, Socket } from 'node:net';
import type { ConnectionGate } from '../domain/index.js';
import { errorBody, lingerClose } from '../gateway/index.js';

const peerOf = (s: Socket) => `${s.remoteAddress ?? ''}|${s.remotePort ?? ''}`;

/** A refused socket that sends no request is dropped after this long (slow-loris guard). */
const REFUSED_IDLE_MS = 5_000;

/**
 * Per-IP connection cap on an HTTP listener. Each accepted socket asks the gate; one over the
 * cap is answered `503 too_many_connections` with `Connection: close` on its first request (an
 * HTTP answer rather than a reset) and is never counted. Returns the request handler to use.
 * Works for HTTP and HTTPS servers alike (the TCP connection is counted before the handshake).
 */
export function gateHttpConnections(server: Server, gate: ConnectionGate, listener: string, handler: http.RequestListener): http.RequestListener {
  // Keyed by the peer's address and port, not the socket: on HTTPS the request's socket is the
  // TLS socket made from the TCP one counted here, and both have the same peer.
  const decisions = new Map<string, Promise<boolean>>();
  server.on('connection', (socket: Socket) => {
    const key = peerOf(socket);
    const decided = gate.acquire(listener, socket.remoteAddress ?? '').then(
      (ticket) => {
        if (ticket) {
          socket.once('close', () => ticket.release());
          if (socket.destroyed) ticket.release();
          return true;
        }
        socket.setTimeout(REFUSED_IDLE_MS, () => socket.destroy());
        return false;
      },
      () => true,
    );
    decisions.set(key, decided);
    socket.once('close', () => {
      if (decisions.get(key) === decided) decisions.delete(key);
    });
  });
  return (req, res) => {
    const decided = decisions.get(peerOf(req.socket)) ?? Promise.resolve(true);
    void decided.then((ok) => {
      if (ok) return handler(req, res);
      lingerClose(req, res);
      res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '5' });
      res.end(JSON.stringify(errorBody('too_many_connections', 'too many connections from your address')));
    });
  };
}
