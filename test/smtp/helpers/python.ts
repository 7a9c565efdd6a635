import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

// The system interpreter starts in a fraction of the time a pyenv shim takes.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/**
 * Runs a Python 3 snippet (Python's smtplib is a real SMTP client nobody here wrote) and parses
 * the JSON it prints last. Asynchronous on purpose: the server under test lives in this process.
 */
export function python<T = unknown>(code: string, args: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, ['-c', code, ...args], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`python failed: ${err.message}\n${stderr}`));
      const lines = stdout.trim().split('\n');
      try {
        resolve(JSON.parse(lines[lines.length - 1]!) as T);
      } catch {
        reject(new Error(`python printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** Python prelude: `reply(r)` turns smtplib's (code, bytes) into [code, "text"]. */
export const PY_PRELUDE = `
import smtplib, ssl, json, sys, socket
def reply(r): return [r[0], r[1].decode('utf-8', 'replace')]
`;
