import { open } from 'node:fs/promises';

/**
 * Reads a spooled message into one Buffer with `prefix` (added header lines) in front: one
 * allocation of the exact final size, no intermediate copies. The message codec takes a Buffer,
 * so this is the single in-memory copy of the message.
 */
export async function readSpoolWithPrefix(path: string, prefix: Buffer): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const out = Buffer.allocUnsafe(prefix.length + size);
    prefix.copy(out, 0);
    let offset = prefix.length;
    // Bounded: each read advances by at least one byte or the loop stops at EOF.
    while (offset < out.length) {
      const { bytesRead } = await file.read(out, offset, out.length - offset, offset - prefix.length);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return offset === out.length ? out : out.subarray(0, offset);
  } finally {
    await file.close();
  }
}
