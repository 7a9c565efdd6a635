/**
 * Response output: small responses are gathered and written in ~64 KiB batches (one socket
 * write per batch, not per FETCH line); literal bodies are streamed with the socket's
 * backpressure. A streamed literal always delivers exactly the length it announced, or the
 * connection is closed: a short literal would desynchronise the client.
 */
import type { Piece, StreamSource } from '../protocol/encoder.js';
import type { Transport } from './transport.js';

const BATCH = 64 * 1024;

export class ResponseWriter {
  /** Text waiting to be encoded (one Buffer.from per batch, not per response) and its rough size. */
  private text: string[] = [];
  private parts: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly transport: () => Transport,
    private readonly onStreamError: (err: unknown) => void,
  ) {}

  /**
   * Queues a response. Resolves at once unless a literal has to be streamed or the batch
   * filled up and the socket asks to wait.
   */
  send(pieces: Piece[]): Promise<void> | undefined {
    let streams = false;
    for (const p of pieces) {
      if (typeof p === 'string') {
        this.text.push(p);
        this.size += p.length;
      } else if (Buffer.isBuffer(p)) this.add(p);
      else {
        streams = true;
        break;
      }
    }
    if (streams) return this.sendSlow(pieces);
    if (this.size >= BATCH) {
      this.flush();
      const t = this.transport();
      if (t.needsDrain) return t.drain();
    }
    return undefined;
  }

  private add(b: Buffer): void {
    this.sealText();
    this.parts.push(b);
    this.size += b.length;
  }

  /** Queued text becomes one Buffer, keeping its place before the bytes that follow. */
  private sealText(): void {
    if (!this.text.length) return;
    const b = Buffer.from(this.text.length === 1 ? this.text[0]! : this.text.join(''), 'utf8');
    this.text = [];
    this.parts.push(b);
  }

  private async sendSlow(pieces: Piece[]): Promise<void> {
    // The leading text pieces were queued by send() before it met the first stream.
    let i = 0;
    while (typeof pieces[i] === 'string' || Buffer.isBuffer(pieces[i])) i++;
    for (; i < pieces.length; i++) {
      const p = pieces[i]!;
      if (typeof p === 'string') {
        this.text.push(p);
        this.size += p.length;
      } else if (Buffer.isBuffer(p)) this.add(p);
      else await this.stream(p);
    }
  }

  private async stream(src: StreamSource): Promise<void> {
    this.writeBatch();
    const t = this.transport();
    let left = src.length;
    try {
      const readable = src.open();
      for await (const chunk of readable as AsyncIterable<Buffer | string>) {
        if (left <= 0) break;
        let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'binary') : chunk;
        if (buf.length > left) buf = buf.subarray(0, left);
        left -= buf.length;
        if (!t.write(buf)) await t.drain();
        if (t.isClosed) return;
      }
      if (left > 0) throw new Error(`literal stream ended ${left} bytes short`);
    } catch (err) {
      this.onStreamError(err);
      t.destroy();
    }
  }

  private writeBatch(): void {
    if (!this.size) return;
    this.sealText();
    const t = this.transport();
    const data = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    t.write(data);
  }

  /** Writes the batch and pushes it to the client (end of a command, a continuation, an IDLE update). */
  flush(): void {
    this.writeBatch();
    this.transport().flush();
  }

  /** Waits until the socket has room (after a flush of a large answer). */
  drain(): Promise<void> {
    return this.transport().drain();
  }
}
