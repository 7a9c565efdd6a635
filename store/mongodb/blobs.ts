import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import type { Logger } from 'pino';
import { DEFAULT_BLOB_SWEEP_GRACE_MS, type BlobStore, type BlobSweep } from '../../domain/index.js';
import type { Collections } from './collections.js';
import { BLOB_BUCKET } from './collections.js';
import { isDuplicateKey } from './context.js';

const BLOB_ID = /^[0-9a-f]{64}$/;

export interface MongoBlobStore extends BlobStore {
  /** After a commit freed them: deletes blobs still unreferenced and not put() within `freshMs`. */
  releaseFreed(ids: string[], freshMs: number): Promise<void>;
  /** Deletes the blob if nothing references it and no put() touched it since `idleBefore`; true if it went. */
  deleteUnreferenced(id: string, idleBefore: Date): Promise<boolean>;
}

function enoent(id: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`blob ${id} not found`);
  err.code = 'ENOENT';
  return err;
}

/**
 * Content-addressed blobs in GridFS. Each upload gets its own file id; the `blobs` document
 * (_id = SHA-256) names the file that holds the content, so two nodes storing the same bytes at
 * once both upload and the loser of the insert deletes its copy: no partial file is ever named.
 * `refcount` on the same document is kept by the mail store inside its transactions.
 */
export function createMongoBlobStore(db: Db, c: Collections, logger?: Logger): MongoBlobStore {
  const bucket = new GridFSBucket(db, { bucketName: BLOB_BUCKET });

  async function upload(id: string, data: Buffer): Promise<ObjectId> {
    const stream = bucket.openUploadStream(id, { metadata: { sha256: id } });
    await new Promise<void>((resolve, reject) => {
      stream.once('finish', () => resolve());
      stream.once('error', reject);
      stream.end(data);
    });
    return stream.id;
  }

  async function removeFile(fileId: string): Promise<void> {
    try {
      await bucket.delete(new ObjectId(fileId));
    } catch (err) {
      // Already gone (a concurrent sweep): nothing to do.
      if (!/FileNotFound|not found/i.test((err as Error).message)) throw err;
    }
  }

  /** Deletes the blob document only if still unreferenced and idle (one atomic filter), then its bytes. */
  async function deleteIfIdle(id: string, idleBefore: Date | null): Promise<boolean> {
    const filter = idleBefore ? { _id: id, refcount: { $lte: 0 }, touchedAt: { $lt: idleBefore } } : { _id: id, refcount: { $lte: 0 } };
    // findOne + conditional deleteOne (jongodb has no findOneAndDelete): a put() in between refreshes touchedAt and the delete misses.
    const doc = await c.blobs.findOne(filter);
    if (!doc || (await c.blobs.deleteOne(filter)).deletedCount === 0) return false;
    await removeFile(doc.fileId);
    return true;
  }

  return {
    async put(data) {
      const id = createHash('sha256').update(data).digest('hex');
      const touched = await c.blobs.updateOne({ _id: id }, { $set: { touchedAt: new Date() } });
      if (touched.matchedCount > 0) return { id, size: data.length };
      const fileId = await upload(id, data);
      try {
        await c.blobs.insertOne({ _id: id, fileId: fileId.toHexString(), size: data.length, refcount: 0, touchedAt: new Date() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Another writer named its copy first: keep theirs, drop ours.
        await removeFile(fileId.toHexString()).catch((e: unknown) => logger?.warn({ err: e, blobId: id }, 'duplicate blob upload not removed'));
        await c.blobs.updateOne({ _id: id }, { $set: { touchedAt: new Date() } });
      }
      return { id, size: data.length };
    },

    async has(id) {
      if (!BLOB_ID.test(id)) return false;
      return (await c.blobs.countDocuments({ _id: id }, { limit: 1 })) > 0;
    },

    createReadStream(id, range) {
      const out = new PassThrough();
      if (!BLOB_ID.test(id)) {
        process.nextTick(() => out.destroy(enoent(id)));
        return out;
      }
      const start = Math.max(0, range?.start ?? 0);
      const end = range?.end;
      if (end !== undefined && end <= start) return Readable.from([]);
      c.blobs.findOne({ _id: id }).then(
        (doc) => {
          if (!doc) return out.destroy(enoent(id));
          const stop = Math.min(end ?? doc.size, doc.size);
          if (start >= stop) return out.end();
          // GridFS `end` is exclusive, like the port's.
          const src = bucket.openDownloadStream(new ObjectId(doc.fileId), { start, end: stop });
          src.once('error', (err: Error) => out.destroy(/FileNotFound/.test(err.message) ? enoent(id) : err));
          src.pipe(out);
        },
        (err: unknown) => out.destroy(err as Error),
      );
      return out;
    },

    async delete(id, opts) {
      if (!BLOB_ID.test(id)) return;
      await deleteIfIdle(id, opts?.ifIdleFor ? new Date(Date.now() - opts.ifIdleFor) : null);
    },

    deleteUnreferenced: deleteIfIdle,

    async releaseFreed(ids, freshMs) {
      const idleBefore = freshMs > 0 ? new Date(Date.now() - freshMs) : null;
      for (const id of ids) await deleteIfIdle(id, idleBefore);
    },
  };
}

/** The MongoDB BlobSweep: blob documents with no reference and no put() within the grace, plus GridFS files no blob document names. */
export function createMongoBlobSweep(db: Db, c: Collections, blobs: MongoBlobStore, logger?: Logger): BlobSweep {
  const files = db.collection<{ _id: ObjectId; uploadDate: Date; filename: string }>(`${BLOB_BUCKET}.files`);
  const bucket = new GridFSBucket(db, { bucketName: BLOB_BUCKET });
  return {
    async sweep(opts = {}) {
      const grace = opts.graceMs ?? DEFAULT_BLOB_SWEEP_GRACE_MS;
      const cutoff = new Date((opts.now ?? Date.now()) - grace);
      let scanned = 0;
      let deleted = 0;
      for await (const doc of c.blobs.find({ refcount: { $lte: 0 }, touchedAt: { $lt: cutoff } })) {
        scanned++;
        try {
          if (await blobs.deleteUnreferenced(doc._id, cutoff)) deleted++;
        } catch (err) {
          logger?.warn({ err, blobId: doc._id }, 'unreferenced blob delete failed');
        }
      }
      // Uploads whose naming insert never happened (a crash between upload and insert).
      for await (const f of files.find({ uploadDate: { $lt: cutoff } })) {
        const named = await c.blobs.countDocuments({ _id: f.filename, fileId: f._id.toHexString() }, { limit: 1 });
        if (named > 0) continue;
        scanned++;
        await bucket.delete(f._id).then(
          () => deleted++,
          (err: unknown) => logger?.warn({ err, fileId: f._id.toHexString() }, 'orphan blob file delete failed'),
        );
      }
      if (deleted > 0) logger?.info({ scanned, deleted }, 'unreferenced blobs swept');
      return { scanned, deleted };
    },
  };
}
