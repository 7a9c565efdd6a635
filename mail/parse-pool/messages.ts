import type { ParsedMessage } from '../mime/index.js';

/** Main thread -> worker: one message to parse. `raw` is a private copy, transferred. */
export interface ParseJob {
  id: number;
  raw: Uint8Array;
}

/** Worker -> main thread. An error crosses as plain fields (class identity does not survive the clone). */
export type ParseReply =
  | { id: number; parsed: ParsedMessage }
  | { id: number; error: { name: string; message: string; code?: string } };

/**
 * Whether a view may go in a transfer list: it must span its whole ArrayBuffer (else the rest of
 * that memory would go too) and be big enough not to come from Buffer's shared 8 KiB pool, whose
 * memory is not ours to give away.
 */
export function canTransfer(view: Uint8Array): boolean {
  return view.byteLength >= 4096 && view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && !(view.buffer instanceof SharedArrayBuffer);
}
