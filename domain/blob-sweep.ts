/**
 * Removes stored blobs that no message references: parts of a message a filter refused after
 * they were written, or content whose last message went while a delivery had just put it again.
 * A blob is garbage only if nothing references it and no put() touched it for `graceMs`, which is
 * longer than any prepare -> deliver gap. Freed blobs of expunged messages normally go at once
 * (after the commit that freed them); the sweep catches the rest.
 */
export interface BlobSweep {
  sweep(opts?: { graceMs?: number; now?: number }): Promise<{ scanned: number; deleted: number }>;
}

/** Default grace: a few hours, far beyond any filter timeout. */
export const DEFAULT_BLOB_SWEEP_GRACE_MS = 6 * 3_600_000;
