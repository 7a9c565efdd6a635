/** Parses `90s`, `5m`, `2h`, `5d`, `1w` (or plain milliseconds) into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/i.exec(text);
  if (!m) throw new Error(`not a duration: ${JSON.stringify(text)} (use e.g. 30s, 5m, 2h, 5d)`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[unit]!;
  return Math.round(n * factor);
}

/** Parses `10K`, `25M`, `1G` (binary multiples) or plain bytes. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$/i.exec(text);
  if (!m) throw new Error(`not a size: ${JSON.stringify(text)} (use e.g. 512K, 25M)`);
  const unit = (m[2] ?? 'b')[0]!.toLowerCase();
  const factor = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit]!;
  return Math.round(Number(m[1]) * factor);
}

/** The default retry schedule: 5m,10m,30m,1h,2h,4h,8h, then every 8h until the 5-day expiry. */
export const DEFAULT_RETRY_SCHEDULE = '5m,10m,30m,1h,2h,4h,8h';

/** `5m,10m,1h` -> [300000, 600000, 3600000]. */
export function parseSchedule(text: string): number[] {
  return text.split(',').map((part) => parseDuration(part));
}
