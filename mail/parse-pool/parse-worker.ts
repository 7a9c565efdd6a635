import { parentPort, workerData } from 'node:worker_threads';
import { parseMessage, type ParseOptions } from '../mime/index.js';
import { canTransfer, type ParseJob, type ParseReply } from './messages.js';

/**
 * A parse-pool thread: parses one message at a time with mail/mime's pure parseMessage and posts
 * the plain-data result back. No I/O and no store here; blobs and the commit stay on the main
 * thread.
 */
const options = ((workerData ?? {}) as { parseOptions?: ParseOptions }).parseOptions ?? {};
const port = parentPort!;

port.on('message', (job: ParseJob) => {
  let reply: ParseReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const raw = Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength);
    const parsed = parseMessage(raw, options);
    // The bytes are this thread's own (the job's transferred copy or a fresh normalised one).
    if (canTransfer(parsed.bytes)) transfer = [parsed.bytes.buffer as ArrayBuffer];
    reply = { id: job.id, parsed };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const code = (e as Error & { code?: unknown }).code;
    reply = { id: job.id, error: { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) } };
  }
  port.postMessage(reply, transfer);
});
port.postMessage('ready');
