import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { isIP } from 'node:net';
import { DeliveryError, statusFromReply } from './delivery-error.js';
import type { RouteHost } from './route.js';

export interface SmtpClientOptions {
  /** Our EHLO name (RFC 5321 4.1.1.1). */
  hostname: string;
  connectTimeoutMs: number;
  /** Idle time while waiting on the remote, greeting and every reply. */
  socketTimeoutMs: number;
  /** Open idle connections kept per host for the next message; 0 closes after every message. */
  maxIdlePerHost: number;
  idleTimeoutMs: number;
  /** Messages per connection before it is replaced. */
  maxMessagesPerConnection: number;
}

export interface AttemptResult {
  delivered: string[];
  failed: Array<{ recipient: string; error: DeliveryError }>;
  /** The host that answered the transaction. */
  host: string | null;
}

interface Pooled {
  conn: SMTPConnection;
  sent: number;
  timer: NodeJS.Timeout | null;
  broken: boolean;
}

interface SmtpErrorLike extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  recipient?: string;
  command?: string;
  rejectedErrors?: SmtpErrorLike[];
}

/** Reply classes from the remote are final for this host; anything else lets us try the next MX. */
function fromSmtpError(err: SmtpErrorLike, host: string): DeliveryError {
  const rc = err.responseCode;
  if (typeof rc === 'number' && rc >= 400) {
    const reply = (err.response ?? '').replace(/\s+/g, ' ').trim();
    return new DeliveryError(`${host} answered ${reply || rc}`, { permanent: rc >= 500, status: statusFromReply(reply, rc), diagnostic: reply || String(rc), remoteMta: host });
  }
  // Timeouts, refused or reset connections, TLS trouble: RFC 3463 4.4.x network/routing statuses.
  const status = err.code === 'ETIMEDOUT' ? '4.4.7' : err.code === 'ECONNECTION' || err.code === 'ESOCKET' ? '4.4.1' : '4.4.0';
  return new DeliveryError(`${host}: ${err.message}`, { permanent: false, status, remoteMta: host });
}

/**
 * The SMTP client side of relaying: nodemailer's SMTPConnection with opportunistic STARTTLS
 * (RFC 3207; a remote's self-signed certificate is accepted, as it would be without TLS at all)
 * and PIPELINING where offered (RFC 2920). Connections to a host are reused for the next message
 * (RFC 5321 allows several transactions per session), which is most of the throughput.
 */
export function createSmtpClient(opts: SmtpClientOptions) {
  const idle = new Map<string, Pooled[]>();
  let closed = false;

  const key = (h: RouteHost) => `${h.address}|${h.port}|${h.name}`;

  function destroy(p: Pooled): void {
    p.broken = true;
    if (p.timer) clearTimeout(p.timer);
    try {
      p.conn.close();
    } catch {
      // already closed
    }
  }

  function connect(h: RouteHost): Promise<Pooled> {
    return new Promise((resolve, reject) => {
      const conn = new SMTPConnection({
        host: h.address,
        port: h.port,
        name: opts.hostname,
        ...(isIP(h.name) ? {} : { servername: h.name }),
        secure: false,
        ignoreTLS: false,
        opportunisticTLS: true,
        tls: { rejectUnauthorized: false },
        connectionTimeout: opts.connectTimeoutMs,
        greetingTimeout: opts.socketTimeoutMs,
        socketTimeout: opts.socketTimeoutMs,
        logger: false,
      });
      const pooled: Pooled = { conn, sent: 0, timer: null, broken: false };
      let settled = false;
      // Errors after connect are also reported to send()'s callback; this only keeps them from crashing the process.
      conn.on('error', (err: Error) => {
        pooled.broken = true;
        if (!settled) {
          settled = true;
          reject(err);
        }
      });
      conn.on('end', () => {
        pooled.broken = true;
        if (!settled) {
          settled = true;
          reject(Object.assign(new Error('connection closed before greeting'), { code: 'ECONNECTION' }));
        }
      });
      conn.connect((err?: Error | null) => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve(pooled);
      });
    });
  }

  function takeIdle(h: RouteHost): Pooled | null {
    const list = idle.get(key(h));
    while (list && list.length) {
      const p = list.pop()!;
      if (p.timer) clearTimeout(p.timer);
      p.timer = null;
      if (!p.broken) return p;
    }
    return null;
  }

  function release(h: RouteHost, p: Pooled): void {
    if (closed || p.broken || opts.maxIdlePerHost <= 0 || p.sent >= opts.maxMessagesPerConnection) {
      if (!p.broken) p.conn.quit();
      return;
    }
    const list = idle.get(key(h)) ?? [];
    if (list.length >= opts.maxIdlePerHost) {
      p.conn.quit();
      return;
    }
    p.timer = setTimeout(() => {
      const l = idle.get(key(h));
      const i = l ? l.indexOf(p) : -1;
      if (i >= 0) l!.splice(i, 1);
      if (!p.broken) p.conn.quit();
    }, opts.idleTimeoutMs);
    p.timer.unref();
    list.push(p);
    idle.set(key(h), list);
  }

  function sendOn(p: Pooled, sender: string, recipients: string[], raw: Buffer): Promise<SMTPConnection.SentMessageInfo> {
    return new Promise((resolve, reject) => {
      p.conn.send({ from: sender, to: recipients, size: raw.length } as SMTPConnection.Envelope, raw, (err, info) => {
        if (err) reject(err);
        else resolve(info);
      });
    });
  }

  /** One transaction on one host. Throws a DeliveryError for host-level failures. */
  async function attemptHost(h: RouteHost, sender: string, recipients: string[], raw: Buffer): Promise<AttemptResult> {
    let p = takeIdle(h);
    const reused = p !== null;
    if (!p) {
      try {
        p = await connect(h);
      } catch (err) {
        throw fromSmtpError(err as SmtpErrorLike, h.name);
      }
    }
    try {
      const info = await sendOn(p, sender, recipients, raw);
      p.sent++;
      release(h, p);
      const failed = (info.rejectedErrors ?? []).map((e) => ({ recipient: (e as SmtpErrorLike).recipient ?? '', error: fromSmtpError(e as SmtpErrorLike, h.name) }));
      const rejected = new Set(info.rejected ?? []);
      for (const r of rejected) {
        if (!failed.some((f) => f.recipient === r)) failed.push({ recipient: r, error: new DeliveryError(`${h.name} refused ${r}`, { permanent: true, status: '5.0.0', remoteMta: h.name }) });
      }
      return { delivered: recipients.filter((r) => !rejected.has(r)), failed, host: h.name };
    } catch (e) {
      destroy(p);
      const err = e as SmtpErrorLike;
      // A pooled connection the remote dropped while idle: not the remote's verdict, try afresh.
      if (reused && typeof err.responseCode !== 'number') return attemptHost(h, sender, recipients, raw);
      if (err.code === 'EENVELOPE' && err.rejectedErrors && err.command === 'RCPT TO') {
        // Every recipient refused: each with its own reply.
        return {
          delivered: [],
          failed: recipients.map((r) => {
            const re = err.rejectedErrors!.find((x) => x.recipient === r);
            return { recipient: r, error: fromSmtpError(re ?? err, h.name) };
          }),
          host: h.name,
        };
      }
      throw fromSmtpError(err, h.name);
    }
  }

  return {
    /**
     * Tries the route's hosts in order (RFC 5321 5.1) until one answers the transaction. A
     * connection failure or a 4xx for the whole transaction moves on to the next host; a 5xx
     * for the whole transaction is final. Throws the last host's error when none answered.
     */
    async deliver(route: RouteHost[], sender: string, recipients: string[], raw: Buffer): Promise<AttemptResult> {
      let last: DeliveryError | null = null;
      for (const h of route) {
        try {
          return await attemptHost(h, sender, recipients, raw);
        } catch (err) {
          last = err instanceof DeliveryError ? err : new DeliveryError(String(err), { permanent: false, status: '4.4.0', remoteMta: h.name });
          if (last.permanent) throw last;
        }
      }
      throw last ?? new DeliveryError('no route', { permanent: false, status: '4.4.4' });
    },

    close(): void {
      closed = true;
      for (const list of idle.values()) for (const p of list) {
        if (p.timer) clearTimeout(p.timer);
        if (!p.broken) p.conn.quit();
        setTimeout(() => destroy(p), 1000).unref();
      }
      idle.clear();
    },
  };
}

export type SmtpClient = ReturnType<typeof createSmtpClient>;
