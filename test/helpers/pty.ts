import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './heron-process.js';

/** Drives a program on a pseudo-terminal with Python's pty: types each line after a prompt (": "), stops at `until` (SIGTERM) or its end. */
const DRIVER = `
import os, pty, sys, json, signal, time
args, lines, until = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(args[0], args)
out = b''
seen = 0
deadline = time.time() + 90
def read_until(marker):
    global out
    while marker not in out[seen:] and time.time() < deadline:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return
        if not chunk:
            return
        out += chunk
for line in lines:
    read_until(b': ')
    seen = len(out)
    os.write(fd, line.encode() + b'\\r')
read_until(until if until else b'\\x00never\\x00')
if until:
    os.kill(pid, signal.SIGTERM)
_, status = os.waitpid(pid, 0)
sys.stdout.write(json.dumps({'status': os.waitstatus_to_exitcode(status), 'output': out.decode('utf-8', 'replace')}))
`;

/** Runs `heron <args>` on a terminal. */
export function heronOnTerminal(args: string[], env: NodeJS.ProcessEnv, opts: { lines?: string[]; until?: string } = {}): { status: number; output: string } {
  const tsx = pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const argv = [process.execPath, '--import', tsx, join(REPO_ROOT, 'server', 'cli.ts'), ...args];
  const r = spawnSync('python3', ['-c', DRIVER, JSON.stringify(argv), JSON.stringify(opts.lines ?? []), opts.until ?? ''], {
    env: { ...env, TERM: 'xterm' },
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`pty driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { status: number; output: string };
}
