import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';

/** clamd's answer to one INSTREAM scan. */
export type ClamdScanResult =
  | { status: 'clean' }
  | { status: 'infected'; virus: string }
  /** clamd stopped reading at its StreamMaxLength. */
  | { status: 'too-large' };

export interface ClamdAddress {
  host: string;
  port: number;
}

export function parseHostPort(value: string): ClamdAddress {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw new Error(`clamd address must be host:port, got "${value}"`);
  return { host: m[1]!, port };
}

/** Chunks above this are split; clamd's own read buffer is small and the length field is 32-bit. */
const MAX_CHUNK = 64 * 1024;
const MAX_REPLY = 4096;

/**
 * One INSTREAM scan (clamd(8)): "zINSTREAM\0", then chunks each prefixed with a 4-byte
 * big-endian length, then a zero length; the reply is "stream: OK", "stream: NAME FOUND" or
 * "... ERROR", NUL-terminated. Rejects on connection errors, unknown replies and the deadline.
 */
export async function clamdInstream(addr: ClamdAddress, body: Readable, timeoutMs: number): Promise<ClamdScanResult> {
  const socket = connect({ host: addr.host, port: addr.port });
  let timer: NodeJS.Timeout | undefined;
  const reply = readReply(socket);
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`clamd gave no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  // Upload errors (EPIPE when clamd hangs up at its size limit) are not the answer: the reply is.
  sendStream(socket, body).catch(() => undefined);
  try {
    const text = await Promise.race([reply, deadline]);
    return interpret(text);
  } finally {
    clearTimeout(timer);
    socket.destroy();
    body.destroy();
  }
}

function interpret(text: string): ClamdScanResult {
  const line = text.replace(/\0+$/, '').trim();
  if (/^stream: OK$/.test(line)) return { status: 'clean' };
  const found = /^stream: (.+) FOUND$/.exec(line);
  if (found) return { status: 'infected', virus: found[1]! };
  if (/size limit exceeded/i.test(line)) return { status: 'too-large' };
  throw new Error(`clamd: ${line.slice(0, 200) || 'closed without reply'}`);
}

/** Up to this many payload bytes go to the kernel in one write: a 10 KB message is one syscall. */
const MAX_BATCH = MAX_CHUNK;

async function sendStream(socket: Socket, body: Readable): Promise<void> {
  // Each batch waits until it is handed to the kernel, so clamd's early "size limit exceeded"
  // reply gets a chance to be read between writes instead of being lost to an EPIPE. Batches,
  // not chunks: every write costs an event-loop turn, and on a busy server a turn is
  // milliseconds, so a small message goes out in one write (command, chunk and terminator).
  // Writes before the connection is up are queued by net.Socket and flushed on connect.
  const write = (buf: Buffer): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (socket.destroyed) return reject(new Error('clamd closed the connection'));
      // setImmediate: let one poll phase run so a pending reply is read before the next write.
      socket.write(buf, (err) => (err ? reject(err) : setImmediate(resolve)));
    });
  let batch: Buffer[] = [Buffer.from('zINSTREAM\0')];
  let batchBytes = 0;
  for await (const data of body as AsyncIterable<Buffer | string>) {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    for (let off = 0; off < chunk.length; off += MAX_CHUNK) {
      const part = chunk.subarray(off, off + MAX_CHUNK);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(part.length);
      batch.push(len, part);
      batchBytes += part.length;
      if (batchBytes >= MAX_BATCH) {
        await write(Buffer.concat(batch));
        batch = [];
        batchBytes = 0;
      }
    }
  }
  batch.push(Buffer.alloc(4));
  await write(Buffer.concat(batch));
}

/** Collects bytes up to the first NUL (or the end of the connection). */
function readReply(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (chunk.includes(0) || size > MAX_REPLY) finish();
    });
    socket.once('end', finish);
    socket.once('close', () => {
      if (done) return;
      if (size > 0) finish();
      else {
        done = true;
        reject(new Error('clamd closed the connection without a reply'));
      }
    });
    // `on`, not `once`: a second socket error with no listener would crash the process.
    socket.on('error', (err) => {
      if (done) return;
      // clamd may reset after writing "size limit exceeded": keep what it said.
      if (size > 0) finish();
      else {
        done = true;
        reject(err);
      }
    });
  });
}
