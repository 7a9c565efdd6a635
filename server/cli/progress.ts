import type { Terminal } from './terminal.js';

export interface ProgressCounts {
  read: number;
  imported: number;
  skipped: number;
  failed: number;
}

export interface ProgressReporter {
  update(counts: Readonly<ProgressCounts>, position: number): void;
  /** A message that could not be imported: one line, above the bar on a terminal. */
  problem(origin: string, reason: string): void;
  finish(counts: Readonly<ProgressCounts>): void;
}

function duration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '?';
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const n = (x: number) => x.toLocaleString('en-US');

/**
 * Import progress for people: on a terminal one line redrawn in place (bar, counts, rate, time
 * left); otherwise a plain line every few seconds, for logs. Time left comes from how far through
 * the source the reading is (bytes of an mbox, files of a Maildir).
 */
export function createProgress(opts: {
  term: Terminal;
  out: NodeJS.WritableStream;
  total: { unit: 'bytes' | 'messages'; amount: number };
  label: string;
  now?: () => number;
  plainEveryMs?: number;
}): ProgressReporter {
  const now = opts.now ?? Date.now;
  const started = now();
  let lastDraw = 0;
  let drawn = false;
  const { term, out, total } = opts;

  const describe = (c: Readonly<ProgressCounts>, position: number) => {
    const elapsed = Math.max(0.001, (now() - started) / 1000);
    const fraction = total.amount > 0 ? Math.min(1, position / total.amount) : 0;
    const rate = c.read / elapsed;
    const left = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : NaN;
    return { fraction, rate, left };
  };

  const line = (c: Readonly<ProgressCounts>, position: number, bar: boolean) => {
    const d = describe(c, position);
    const pct = `${Math.floor(d.fraction * 100)}%`.padStart(4);
    const counts = `${n(c.read)} read, ${term.green(n(c.imported))} new, ${n(c.skipped)} already there${c.failed ? `, ${term.red(n(c.failed))} failed` : ''}`;
    const speed = `${n(Math.round(d.rate))} msgs/s`;
    if (!bar) return `${opts.label}: ${pct.trim()} ${counts}, ${speed}, about ${duration(d.left)} left`;
    const width = 24;
    const full = Math.round(d.fraction * width);
    return `${term.cyan('[' + '#'.repeat(full) + '-'.repeat(width - full) + ']')} ${pct} ${counts}  ${speed}  ${term.dim('ETA')} ${duration(d.left)}`;
  };

  return {
    update(c, position) {
      const t = now();
      if (term.isTTY) {
        if (t - lastDraw < 100) return;
        lastDraw = t;
        out.write(`\r\u001b[2K${line(c, position, true)}`);
        drawn = true;
      } else if (t - lastDraw >= (opts.plainEveryMs ?? 5000)) {
        if (lastDraw !== 0) out.write(`${line(c, position, false)}\n`);
        lastDraw = t;
      }
    },
    problem(origin, reason) {
      const text = `${term.yellow('skipped')} ${origin}: ${reason}\n`;
      if (term.isTTY && drawn) out.write(`\r\u001b[2K${text}`);
      else out.write(text);
      lastDraw = 0;
    },
    finish(c) {
      if (term.isTTY && drawn) out.write('\r\u001b[2K');
      const elapsed = (now() - started) / 1000;
      out.write(
        `${opts.label}: ${term.bold(n(c.imported))} imported, ${n(c.skipped)} already there, ${c.failed ? term.red(n(c.failed)) : '0'} could not be read — ${n(c.read)} in ${duration(elapsed)} (${n(Math.round(c.read / Math.max(elapsed, 0.001)))} msgs/s)\n`,
      );
    },
  };
}
