import { createSocket, type Socket } from 'node:dgram';

const NTP_EPOCH_OFFSET = 2_208_988_800;

function writeTimestamp(buf: Buffer, at: number, ms: number): void {
  buf.writeUInt32BE(Math.floor(ms / 1000 + NTP_EPOCH_OFFSET) >>> 0, at);
  buf.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32) >>> 0, at + 4);
}

/** An SNTP server (RFC 4330) on loopback whose clock is `offsetMs` off this machine's. */
export async function startSntpServer(offsetMs: number): Promise<{ server: string; close(): Promise<void> }> {
  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 48) return;
    const now = Date.now() + offsetMs;
    const reply = Buffer.alloc(48);
    reply[0] = (4 << 3) | 4; // version 4, mode 4 (server)
    reply[1] = 2; // stratum
    msg.copy(reply, 24, 40, 48); // originate = client's transmit
    writeTimestamp(reply, 32, now);
    writeTimestamp(reply, 40, now);
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { server: `127.0.0.1:${socket.address().port}`, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}
