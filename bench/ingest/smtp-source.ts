import { execFile } from 'node:child_process';

export interface SmtpSourceRun {
  port: number;
  messages: number;
  /** Payload bytes per message (`-l`). */
  bytes: number;
  sessions: number;
  /** true: every session sends all its messages over one connection (`-d`). */
  reuse: boolean;
  from: string;
  to: string;
}

/** Postfix's smtp-source(1) load generator; resolves with its wall time in seconds. */
export function smtpSource(run: SmtpSourceRun): Promise<number> {
  const args = ['-s', String(run.sessions), '-m', String(run.messages), '-l', String(run.bytes), '-f', run.from, '-t', run.to];
  if (run.reuse) args.unshift('-d');
  args.push(`127.0.0.1:${run.port}`);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    execFile('/usr/sbin/smtp-source', args, { timeout: 600_000 }, (err, _stdout, stderr) => {
      if (err) return reject(new Error(`smtp-source ${args.join(' ')}: ${err.message} ${stderr}`));
      resolve(Number(process.hrtime.bigint() - started) / 1e9);
    });
  });
}
