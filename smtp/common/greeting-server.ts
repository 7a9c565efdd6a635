import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { SMTPConnection, type SMTPConnectionOptions } from 'smtp-server/lib/smtp-connection.js';

/**
 * smtp-server 3.21 holds every new connection 100 ms before the 220 greeting to catch clients
 * that talk first; at 10 parallel one-message sessions that pause alone caps intake at 100
 * messages a second. Postfix's smtpd greets at once, and postscreen's greet wait is a setting.
 * This connection greets after `greetingDelayMs` (0: at once). Early talkers are refused in
 * either case: until the greeting is sent the library answers any command `421 You talk too
 * soon` and closes (RFC 5321 4.3.1: the client waits for the greeting), so a delay only widens
 * the window in which a pipelining spam bot gives itself away.
 *
 * `init` is the library's own (connection cap, then the timer) with the delay as a parameter;
 * the version is pinned in package.json and test/smtp/greeting-delay.test.ts checks both paths.
 */
class GreetingDelayConnection extends SMTPConnection {
  readonly #delayMs: number;

  constructor(server: SMTPServer, socket: Socket | TLSSocket, options: SMTPConnectionOptions | null | undefined, delayMs: number) {
    super(server, socket, options);
    this.#delayMs = delayMs;
  }

  override init(): void {
    this._setListeners(() => {
      const { maxClients } = this._server.options;
      if (maxClients && this._server.connections.size > maxClients) {
        return this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
      }
      if (this.#delayMs <= 0) return this.connectionReady();
      // Unref'd like the library's: a pending greeting must not keep the process alive.
      setTimeout(() => this.connectionReady(), this.#delayMs).unref();
    });
  }
}

export interface GreetingServerOptions extends SMTPServerOptions {
  /** Pause before the 220 greeting, in ms; commands sent during it get 421 and a close. */
  greetingDelayMs?: number;
}

/** SMTPServer whose connections greet after a configurable delay (see GreetingDelayConnection). */
export class GreetingDelayServer extends SMTPServer {
  readonly #delayMs: number;

  constructor(options: GreetingServerOptions) {
    const { greetingDelayMs, ...rest } = options;
    super(rest);
    this.#delayMs = Math.max(0, greetingDelayMs ?? 0);
  }

  // The library's connect() with our connection class; the rest of the server is unchanged.
  override connect(socket: Socket | TLSSocket, socketOptions?: SMTPConnectionOptions | null): void {
    const connection = new GreetingDelayConnection(this, socket, socketOptions, this.#delayMs);
    this.connections.add(connection);
    connection.on('error', (err: Error) => this._onError(err));
    connection.on('connect', (data) => this._onClientConnect(data));
    connection.init();
  }
}
