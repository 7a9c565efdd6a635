import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { SmtpError, SmtpReplies } from '../../domain/index.js';
import { parseMessage, type ParseOptions, type ParsedMessage } from '../mime/index.js';
import type { ParseJob, ParseReply } from './messages.js';
import { spawnParseWorker } from './spawn-worker.js';

export interface ParsePoolOptions {
  /** Worker threads; default one per core. 0 parses on the calling thread (no pool, no queue). */
  size?: number;
  /** Messages waiting for a free worker; one more is refused with 451 4.3.2. */
  maxQueued?: number;
  /** Bytes of the waiting messages; past it new ones are refused (one is always let in when none wait). */
  maxQueuedBytes?: number;
  /** A parse running longer than this is abandoned (worker replaced) and the message gets 451 4.3.0. */
  timeoutMs?: number;
  parseOptions?: ParseOptions;
  logger?: Logger;
  metrics?: Registry;
}

export const PARSE_POOL_DEFAULTS = { maxQueued: 256, maxQueuedBytes: 64 * 1024 * 1024, timeoutMs: 60_000 } as const;

/** The queue is full: the message is refused for now, the sender keeps it and retries (RFC 5321 4.2.5). */
export class PoolSaturatedError extends SmtpError {
  constructor() {
    super(SmtpReplies.systemBusy);
    this.name = 'PoolSaturatedError';
  }
}

interface Pending {
  raw: Buffer;
  resolve: (parsed: ParsedMessage) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The worker has loaded its modules; a job handed over before waits, and its deadline starts here. */
  ready: boolean;
  job: (Pending & { id: number; timer: NodeJS.Timeout | null }) | null;
}

/** Errors with an E* code are the system's (mail/delivery/failure-kind.ts): 451, not 554. */
function systemError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * Parses messages on worker threads so a large or hostile message never stalls the event loop
 * that serves every SMTP and IMAP session. Bounded: at most `size` messages are parsed at once
 * and `maxQueued` (and `maxQueuedBytes`) wait; past that `parse` rejects with PoolSaturatedError
 * (451 4.3.2) instead of letting memory grow, and `saturated` lets a listener refuse a new
 * transaction before its data is read.
 */
export class ParsePool {
  readonly size: number;
  readonly #o: Required<Pick<ParsePoolOptions, 'maxQueued' | 'maxQueuedBytes' | 'timeoutMs'>> & ParsePoolOptions;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  #queuedBytes = 0;
  #nextId = 1;
  #closed = false;
  readonly #queuedGauge: Gauge | null;
  readonly #refused: Counter | null;

  constructor(opts: ParsePoolOptions = {}) {
    this.size = Math.max(0, Math.floor(opts.size ?? availableParallelism()));
    this.#o = { ...PARSE_POOL_DEFAULTS, ...opts };
    const reg = opts.metrics;
    this.#queuedGauge = reg
      ? ((reg.getSingleMetric('heron_parse_queue_messages') as Gauge | undefined) ??
        new Gauge({ name: 'heron_parse_queue_messages', help: 'Messages waiting for a parse worker', registers: [reg] }))
      : null;
    this.#refused = reg
      ? ((reg.getSingleMetric('heron_parse_refused_total') as Counter | undefined) ??
        new Counter({ name: 'heron_parse_refused_total', help: 'Messages refused with 451 4.3.2 because the parse queue was full', registers: [reg] }))
      : null;
    for (let i = 0; i < this.size; i++) this.#slots.push(this.#spawn());
  }

  /** True while a new message would be refused: every worker busy and the queue full. */
  get saturated(): boolean {
    if (this.size === 0 || this.#slots.some((s) => !s.job)) return false;
    return this.#queue.length >= this.#o.maxQueued || this.#queuedBytes >= this.#o.maxQueuedBytes;
  }

  get stats(): { size: number; busy: number; queued: number; queuedBytes: number } {
    return { size: this.size, busy: this.#slots.filter((s) => s.job).length, queued: this.#queue.length, queuedBytes: this.#queuedBytes };
  }

  parse(raw: Buffer): Promise<ParsedMessage> {
    if (this.size === 0) return Promise.resolve().then(() => parseMessage(raw, this.#o.parseOptions));
    if (this.#closed) return Promise.reject(systemError('parse pool is closed', 'ECLOSED'));
    return new Promise<ParsedMessage>((resolve, reject) => {
      const pending: Pending = { raw, resolve, reject };
      const idle = this.#slots.find((s) => !s.job);
      if (idle) return this.#dispatch(idle, pending);
      const wouldHold = this.#queuedBytes + raw.length;
      if (this.#queue.length >= this.#o.maxQueued || (this.#queue.length > 0 && wouldHold > this.#o.maxQueuedBytes)) {
        this.#refused?.inc();
        this.#o.logger?.warn({ event: 'parse_queue_full', queued: this.#queue.length, queuedBytes: this.#queuedBytes }, 'parse queue full');
        return reject(new PoolSaturatedError());
      }
      this.#queue.push(pending);
      this.#queuedBytes = wouldHold;
      this.#queuedGauge?.set(this.#queue.length);
    });
  }

  /** Rejects what waits, stops the workers; a parse in progress is abandoned with 451. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#queue.splice(0)) p.reject(systemError('parse pool closed', 'ECLOSED'));
    this.#queuedBytes = 0;
    await Promise.all(
      this.#slots.splice(0).map((s) => {
        if (s.job) {
          if (s.job.timer) clearTimeout(s.job.timer);
          s.job.reject(systemError('parse pool closed', 'ECLOSED'));
          s.job = null;
        }
        return s.worker.terminate();
      }),
    );
  }

  #spawn(): Slot {
    const worker = spawnParseWorker({ parseOptions: this.#o.parseOptions ?? {} });
    worker.unref();
    const slot: Slot = { worker, ready: false, job: null };
    worker.on('message', (reply: ParseReply | 'ready') => {
      if (reply !== 'ready') return this.#onReply(slot, reply);
      slot.ready = true;
      if (slot.job) this.#start(slot);
      else this.#next(slot);
    });
    // An uncaught error or exit loses only the message in hand; the slot gets a fresh worker.
    worker.on('error', (err) => this.#replace(slot, systemError(`parse worker failed: ${err.message}`, 'EWORKER')));
    worker.on('exit', (code) => {
      if (!this.#closed) this.#replace(slot, systemError(`parse worker exited with code ${code}`, 'EWORKER'));
    });
    return slot;
  }

  #replace(slot: Slot, err: Error): void {
    const i = this.#slots.indexOf(slot);
    if (i < 0 || this.#closed) return;
    this.#o.logger?.error({ err }, 'parse worker replaced');
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    const job = slot.job;
    if (job) {
      if (job.timer) clearTimeout(job.timer);
      job.reject(err);
    }
    this.#slots.splice(i, 1);
    const respawn = () => {
      if (this.#closed) return;
      const fresh = this.#spawn();
      this.#slots.push(fresh);
    };
    // A worker that dies before it ever loaded would die again at once: retry slowly, not in a loop.
    if (slot.ready) respawn();
    else setTimeout(respawn, 1000).unref();
  }

  #dispatch(slot: Slot, pending: Pending): void {
    slot.job = { ...pending, id: this.#nextId++, timer: null };
    slot.worker.ref();
    if (slot.ready) this.#start(slot);
  }

  #start(slot: Slot): void {
    const job = slot.job!;
    // A private, exactly sized copy: it can be transferred (no second copy) and the caller's
    // buffer stays untouched.
    const copy = new Uint8Array(job.raw);
    job.timer = setTimeout(() => this.#replace(slot, systemError(`parse took longer than ${this.#o.timeoutMs} ms`, 'ETIMEDOUT')), this.#o.timeoutMs);
    job.timer.unref();
    const message: ParseJob = { id: job.id, raw: copy };
    slot.worker.postMessage(message, [copy.buffer]);
  }

  #onReply(slot: Slot, reply: ParseReply): void {
    const job = slot.job;
    if (!job || job.id !== reply.id) return;
    if (job.timer) clearTimeout(job.timer);
    slot.job = null;
    slot.worker.unref();
    if ('error' in reply) {
      job.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }, reply.error.code ? { code: reply.error.code } : {}));
    } else {
      const b = reply.parsed.bytes as Uint8Array;
      job.resolve({ ...reply.parsed, bytes: Buffer.from(b.buffer, b.byteOffset, b.byteLength) });
    }
    this.#next(slot);
  }

  #next(slot: Slot): void {
    const pending = this.#queue.shift();
    if (!pending) return;
    this.#queuedBytes -= pending.raw.length;
    this.#queuedGauge?.set(this.#queue.length);
    this.#dispatch(slot, pending);
  }
}
