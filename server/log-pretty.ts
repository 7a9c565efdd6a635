import type { Terminal } from './cli/terminal.js';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has or that the layout already shows. */
const SHOWN = new Set(['level', 'time', 'msg', 'service', 'component']);

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  if (v && typeof v === 'object' && 'message' in v && 'stack' in v) return JSON.stringify((v as { message: unknown }).message);
  return JSON.stringify(v);
}

/**
 * Turns pino's JSON lines into lines for people at a terminal: time, level, component, message,
 * then the other fields as key=value. Used only when stdout is a TTY; pipes get the JSON.
 */
export function prettyLogStream(out: { write(s: string): unknown }, term: Terminal): { write(line: string): void } {
  const paint: Record<string, (s: string) => string> = { WARN: term.yellow, ERROR: term.red, FATAL: term.red, INFO: term.green, DEBUG: term.dim, TRACE: term.dim };
  return {
    write(line) {
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const level = LEVELS[o.level as number] ?? String(o.level);
      const time = new Date(typeof o.time === 'number' ? o.time : Date.now()).toTimeString().slice(0, 8);
      const component = typeof o.component === 'string' ? term.cyan(o.component.padEnd(10)) + ' ' : '';
      const rest = Object.entries(o)
        .filter(([k]) => !SHOWN.has(k))
        .map(([k, v]) => term.dim(`${k}=`) + value(v))
        .join(' ');
      const err = o.err && typeof o.err === 'object' && 'stack' in o.err ? `\n${String((o.err as { stack: unknown }).stack)}` : '';
      out.write(`${term.dim(time)} ${(paint[level] ?? ((s: string) => s))(level.padEnd(5))} ${component}${String(o.msg ?? '')}${rest ? ' ' + rest : ''}${err}\n`);
    },
  };
}
