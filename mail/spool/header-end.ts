/**
 * Finds where the header block ends (the first empty line, RFC 5322 2.1) in a stream seen chunk
 * by chunk, so the header size can be capped without buffering. Bare LF is accepted as a line
 * end too, since MX stores what it gets.
 */
export class HeaderEndScanner {
  #headerBytes = 0;
  #done = false;
  /**
   * Last two bytes of the previous chunk, to catch a separator split across chunks. It starts
   * as a virtual line end so that an empty first line (no header at all) is found the same way.
   */
  #tail = Buffer.from([0x0a]);

  get done(): boolean {
    return this.#done;
  }

  /** Bytes of header seen so far (the whole block once `done`). */
  get headerBytes(): number {
    return this.#headerBytes;
  }

  push(chunk: Buffer): void {
    if (this.#done) return;
    const joined = Buffer.concat([this.#tail, chunk]);
    const offset = this.#tail.length;
    for (let i = 0; i < joined.length; i++) {
      if (joined[i] !== 0x0a) continue;
      const next = joined[i + 1];
      const after = joined[i + 2];
      if (next === 0x0a || (next === 0x0d && after === 0x0a)) {
        this.#headerBytes += Math.max(0, i + 1 - offset);
        this.#done = true;
        return;
      }
    }
    this.#headerBytes += chunk.length;
    this.#tail = joined.subarray(Math.max(0, joined.length - 2));
  }
}
