import { pino, type Logger } from 'pino';
import type { Config } from '../config/index.js';

/** One JSON line per event on stdout; secrets are redacted wherever they appear as fields. */
export function createLogger(config: Pick<Config, 'log'>): Logger {
  return pino({
    level: config.log.level,
    base: { service: 'heron' },
    redact: { paths: ['password', '*.password', 'code', '*.code', 'token', '*.token', 'authorization', '*.authorization'], censor: '[redacted]' },
  });
}
