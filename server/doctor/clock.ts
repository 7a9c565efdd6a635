import { createSocket } from 'node:dgram';
import { fail, pass, withTimeout, type CheckResult } from './check.js';

/** Seconds between 1900 (NTP's epoch) and 1970. */
const NTP_EPOCH_OFFSET = 2_208_988_800;

function readTimestamp(buf: Buffer, at: number): number {
  return (buf.readUInt32BE(at) - NTP_EPOCH_OFFSET) * 1000 + (buf.readUInt32BE(at + 4) / 2 ** 32) * 1000;
}

/**
 * The local clock's offset from an NTP server in ms, by one SNTP exchange (RFC 4330 5):
 * offset = ((T2 - T1) + (T3 - T4)) / 2.
 */
export function sntpOffset(host: string, port = 123, now: () => number = Date.now): Promise<number> {
  return withTimeout(
    new Promise<number>((resolve, reject) => {
      const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      const request = Buffer.alloc(48);
      request[0] = (4 << 3) | 3; // version 4, mode 3 (client)
      const t1 = now();
      const seconds = Math.floor(t1 / 1000) + NTP_EPOCH_OFFSET;
      request.writeUInt32BE(seconds >>> 0, 40);
      request.writeUInt32BE(Math.floor(((t1 % 1000) / 1000) * 2 ** 32) >>> 0, 44);
      socket.once('error', (err) => {
        socket.close();
        reject(err);
      });
      socket.on('message', (msg) => {
        const t4 = now();
        if (msg.length < 48 || (msg[0]! & 0x07) !== 4 || msg[1] === 0) return; // not a server answer, or kiss-o'-death
        socket.close();
        const t2 = readTimestamp(msg, 32);
        const t3 = readTimestamp(msg, 40);
        resolve((t2 - t1 + (t3 - t4)) / 2);
      });
      socket.send(request, port, host);
    }),
    5000,
    `NTP ${host}:${port}`,
  );
}

/** DKIM signatures, TOTP codes and TLS all need the right time: more than 5 s off fails. */
export async function checkClock(server: string, now: () => number = Date.now): Promise<CheckResult[]> {
  const [host, port] = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(server)!.slice(1) as [string, string | undefined];
  try {
    const offset = await sntpOffset(host, port ? Number(port) : 123, now);
    const text = `${offset >= 0 ? 'behind' : 'ahead of'} ${server} by ${(Math.abs(offset) / 1000).toFixed(3)} s`;
    return Math.abs(offset) <= 5000
      ? [pass('clock', 'clock', text)]
      : [fail('clock', 'clock', text, 'run a time service (systemd-timesyncd, chrony or ntpd)')];
  } catch (err) {
    return [fail('clock', 'clock', `could not ask ${server}: ${(err as Error).message}`, 'allow NTP (UDP 123) out, or name a reachable server with --ntp')];
  }
}
