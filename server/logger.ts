import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/index.js';
import { createTerminal } from './cli/terminal.js';
import { logRedaction } from './log-redaction.js';
import { prettyLogStream } from './log-pretty.js';

/**
 * One line per event on stdout: JSON lines (for log collectors), or readable lines when stdout is
 * a terminal (`log.format` auto). Secrets are redacted wherever they appear as fields (log-redaction.ts).
 * `destination` replaces stdout (tests).
 */
export function createLogger(config: Pick<Config, 'log'>, destination?: DestinationStream): Logger {
  const options = {
    level: config.log.level,
    base: { service: 'heron' },
    redact: logRedaction,
  };
  if (destination) return pino(options, destination);
  const format = config.log.format ?? 'auto';
  const pretty = format === 'pretty' || (format === 'auto' && !!process.stdout.isTTY);
  return pretty ? pino(options, prettyLogStream(process.stdout, createTerminal(process.stdout))) : pino(options);
}
