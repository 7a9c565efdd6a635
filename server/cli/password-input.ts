import { readFileSync } from 'node:fs';
import { UsageError } from './usage-error.js';

/** Longest password read from a file or a pipe: anything longer is not a password. */
const MAX_PASSWORD_BYTES = 4096;

export interface PasswordSources {
  /** The old `--password <pw>`: still taken, with a warning (it lands in shell history and `ps`). */
  password?: string | undefined;
  /** `--password-file FILE` (`-` is standard input): the first line. */
  passwordFile?: string | undefined;
}

export interface PasswordIo {
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
}

function firstLine(text: string, from: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  if (!line) throw new UsageError(`no password in ${from}`);
  return line;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_PASSWORD_BYTES) throw new UsageError(`standard input is longer than ${MAX_PASSWORD_BYTES} bytes: not a password`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(prompt: string, io: PasswordIo): Promise<string> {
  return new Promise((resolve, reject) => {
    const { stdin, stderr } = io;
    let value = '';
    // Raw mode (no echo) before the prompt shows, so nothing typed at once is echoed.
    stdin.setRawMode(true);
    stderr.write(prompt);
    stdin.resume();
    stdin.setEncoding('utf8');
    const finish = (err: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: string) => {
      for (const ch of data) {
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === '\u0003') return finish(new UsageError('cancelled'));
        if (ch === '\u0004' && value === '') return finish(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * A password for `user add`/`user passwd`, never needing the command line: from `--password-file`,
 * from standard input when it is a pipe, or from a prompt (asked twice) on a terminal.
 */
export async function readPassword(src: PasswordSources, io: PasswordIo = { stdin: process.stdin, stderr: process.stderr }, opts: { confirm?: boolean } = {}): Promise<string> {
  if (src.password !== undefined) {
    io.stderr.write('heron: warning: --password puts the password in your shell history and the process list; use the prompt, --password-file FILE or standard input\n');
    if (!src.password) throw new UsageError('empty password');
    return src.password;
  }
  if (src.passwordFile !== undefined && src.passwordFile !== '-') {
    let text: string;
    try {
      text = readFileSync(src.passwordFile, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${src.passwordFile}: ${(err as Error).message}`);
    }
    if (Buffer.byteLength(text) > MAX_PASSWORD_BYTES) throw new UsageError(`${src.passwordFile} is longer than ${MAX_PASSWORD_BYTES} bytes: not a password file`);
    return firstLine(text, src.passwordFile);
  }
  if (src.passwordFile === '-' || !io.stdin.isTTY) return firstLine(await readAll(io.stdin), 'standard input');
  const password = await promptHidden('Password: ', io);
  if (!password) throw new UsageError('empty password');
  if (opts.confirm !== false && (await promptHidden('Again: ', io)) !== password) throw new UsageError('the passwords do not match');
  return password;
}
