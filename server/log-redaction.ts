/**
 * What the log never shows. Secrets are hidden by field name, at the top level and one level
 * down. `code` is not a secret by name: it carries SMTP/IMAP/HTTP reply codes and errno codes
 * that an operator needs to read. Only a value shaped like a one-time code (6-8 digits as a
 * string, as auth/otp-code.ts makes them) is hidden there.
 */
const SECRET_KEYS = [
  'password',
  'pass',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'authorization',
  'cookie',
  'otp',
  'otpCode',
  'totp',
  'totpCode',
  'recoveryCode',
  'recoveryCodes',
  'apiKey',
] as const;

const CENSORED = '[redacted]';
const ONE_TIME_CODE = /^\d{6,8}$/;

function censor(value: unknown, path: string[]): unknown {
  if (path[path.length - 1] === 'code') return typeof value === 'string' && ONE_TIME_CODE.test(value.trim()) ? CENSORED : value;
  return CENSORED;
}

/** pino's `redact` option. */
export const logRedaction = {
  paths: [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), 'code', '*.code'],
  censor,
};
