import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpListener {
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * The HTTP listener of a request handler (the gateway's Koa app), with the timeouts every Heron
 * HTTP port uses. `wrap` may put something in front of the handler (a per-IP connection cap).
 */
export function createHttpListener(handler: http.RequestListener, wrap?: (server: http.Server, handler: http.RequestListener) => http.RequestListener): HttpListener {
  let server: http.Server | null = null;
  return {
    async listen(port, host) {
      const s = (server = http.createServer());
      s.on('request', wrap ? wrap(s, handler) : handler);
      // Slow-loris guard: a client has 30 s to send its headers and 60 s for the whole request.
      s.headersTimeout = 30_000;
      s.requestTimeout = 60_000;
      // Longer than the usual client/proxy idle timeouts, so the server is not the side that races to close.
      s.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          resolve();
        });
      });
      return (s.address() as AddressInfo).port;
    },
    async close() {
      if (!server) return;
      const s = server;
      server = null;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}
