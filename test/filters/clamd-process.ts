import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A clamd of the test's own (never the shared one), on the shared local signature database, so a
 * test can stop it or give it a small StreamMaxLength. Foreground, child of the test process.
 */
export interface OwnClamd {
  address: string;
  stop(): Promise<void>;
}

export async function startOwnClamd(dbDir: string, opts: { streamMaxLength?: string } = {}): Promise<OwnClamd> {
  const dir = mkdtempSync(join(tmpdir(), 'heron-clamd-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'clamd.conf'),
    [
      `DatabaseDirectory ${dbDir}`,
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      `LogFile ${join(dir, 'clamd.log')}`,
      'Foreground yes',
      `TemporaryDirectory ${dir}`,
      'ScanMail yes',
      `StreamMaxLength ${opts.streamMaxLength ?? '25M'}`,
      'SelfCheck 0',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('clamd', ['-c', join(dir, 'clamd.conf')], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // Bounded readiness wait: 150 x 100 ms.
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) break;
    if (await ping(port)) return { address: `127.0.0.1:${port}`, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error('own clamd did not start');
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => s.write('zPING\0'));
    s.setTimeout(1000, () => s.destroy());
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().startsWith('PONG'));
    });
    s.once('error', () => resolve(false));
    s.once('close', () => resolve(false));
  });
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}
