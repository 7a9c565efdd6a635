/**
 * Received bytes not yet consumed, kept as the chunks they arrived in so a large literal is
 * never copied more than once and appending costs O(1).
 */
const EMPTY = Buffer.alloc(0);

export class ByteQueue {
  private chunks: Buffer[] = [];
  /** Index of the first live chunk; consumed chunks are dropped in batches, not one shift at a time. */
  private first = 0;
  /** Bytes already consumed from chunks[first]. */
  private offset = 0;
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /**
   * Position (relative to the unconsumed start) of the first `byte` at or after `from`, looking
   * at no more than `limit` bytes from the start; -1 when absent.
   */
  indexOf(byte: number, from: number, limit: number): number {
    const end = Math.min(this.length, limit);
    let base = 0;
    for (let i = this.first; i < this.chunks.length && base < end; i++) {
      const c = this.chunks[i]!;
      const start = i === this.first ? this.offset : 0;
      const size = c.length - start;
      if (from < base + size) {
        const localFrom = start + Math.max(0, from - base);
        const localEnd = start + Math.min(size, end - base);
        const hit = c.subarray(0, localEnd).indexOf(byte, localFrom);
        if (hit >= 0) return base + (hit - start);
      }
      base += size;
    }
    return -1;
  }

  /** Removes and returns the first `n` bytes (n <= length). */
  take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const head = this.chunks[this.first]!;
    if (head.length - this.offset >= n) {
      const out = head.subarray(this.offset, this.offset + n);
      this.advance(n);
      return out;
    }
    const parts: Buffer[] = [];
    let left = n;
    for (let i = this.first; left > 0; i++) {
      const c = this.chunks[i]!;
      const start = i === this.first ? this.offset : 0;
      const piece = c.subarray(start, start + Math.min(left, c.length - start));
      parts.push(piece);
      left -= piece.length;
    }
    this.advance(n);
    return Buffer.concat(parts, n);
  }

  /** Drops the first `n` bytes (n <= length). */
  skip(n: number): void {
    this.advance(n);
  }

  private advance(n: number): void {
    this.length -= n;
    while (n > 0) {
      const c = this.chunks[this.first]!;
      const avail = c.length - this.offset;
      if (n < avail) {
        this.offset += n;
        return;
      }
      n -= avail;
      // Consumed chunks are released at once: an idle session keeps no received bytes alive.
      this.chunks[this.first] = EMPTY;
      this.first++;
      this.offset = 0;
    }
    if (this.first === this.chunks.length) {
      this.chunks = [];
      this.first = 0;
    } else if (this.first > 64 && this.first * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }
}
