import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './heron-process.js';

/**
 * jongodb: a MongoDB-wire-compatible test server (npm @jongodb/memory-server-bin-linux-x64-gnu,
 * linux-x64 only, an optional dependency). Started as a single-node replica set so transactions
 * work. It is a partial server: see JONGODB_LACKS.
 */
export const JONGODB_BIN = join(REPO_ROOT, 'node_modules', '@jongodb', 'memory-server-bin-linux-x64-gnu', 'bin', 'jongodb');

/**
 * What jongodb 0.1.6 does not do, by name; a contract case needing one runs only against a real
 * MongoDB (HERON_TEST_MONGODB_URI). `largeCollections`: its inserts slow down as a collection
 * grows (about 230 ms each at 5,000 documents), so fixtures of a thousand messages take minutes.
 */
export const JONGODB_LACKS = ['changeStreams', 'textIndex', 'projection', 'dropDatabase', 'pushPull', 'ttlExpiry', 'largeCollections'] as const;
export type MongoFeature = (typeof JONGODB_LACKS)[number];

/**
 * The connection string with another database (its path), options kept. By hand: a replica set
 * URI lists several hosts (`mongodb://h1,h2,h3/db?...`), which URL cannot parse.
 */
export function withDatabase(uri: string, database: string, extraOptions: Record<string, string> = {}): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]*)(?:\/[^?]*)?(?:\?(.*))?$/.exec(uri);
  if (!m) throw new Error(`not a MongoDB connection string: ${uri}`);
  const params = new URLSearchParams(m[2] ?? '');
  for (const [k, v] of Object.entries(extraOptions)) params.set(k, v);
  const query = params.toString();
  return `${m[1]}/${encodeURIComponent(database)}${query ? `?${query}` : ''}`;
}

export function haveJongodb(): boolean {
  return process.platform === 'linux' && process.arch === 'x64' && existsSync(JONGODB_BIN);
}

export interface JongodbServer {
  /** mongodb://127.0.0.1:<port>/<db>?replicaSet=jongodb-rs0 */
  uri(database: string): string;
  stop(): Promise<void>;
}

export async function startJongodb(): Promise<JongodbServer> {
  const child: ChildProcess = spawn(JONGODB_BIN, ['--host=127.0.0.1', '--port=0', '--topology-profile=singleNodeReplicaSet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const printed = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`jongodb did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /JONGODB_URI=(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`jongodb exited (${code}): ${out}`));
    });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  // Used as printed (host list and replicaSet), with our own database name in the path. Its
  // streaming server monitoring (hello with moreToCome) ends early now and then, which makes the
  // driver clear its pool under load: clients of it poll instead.
  return {
    uri: (database) => withDatabase(printed, database, { serverMonitoringMode: 'poll' }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A database name unique to this test file and process (jongodb cannot drop databases). */
export function testDatabaseName(label: string): string {
  return `heron_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}
