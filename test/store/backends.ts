import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import type { Store } from '../../domain/index.js';
import { openSqliteBackend } from '../../store/sqlite/backend.js';
import { openMongoBackend } from '../../store/mongodb/index.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { createSearchTextExtractor } from '../../mail/mime/index.js';
import { JONGODB_LACKS, haveJongodb, startJongodb, testDatabaseName, withDatabase, type JongodbServer, type MongoFeature } from '../helpers/jongodb.js';

/**
 * The backends every contract suite runs against: SQLite and jongodb (a MongoDB-compatible test
 * server) always; a real MongoDB too when HERON_TEST_MONGODB_URI is set. A harness is a whole
 * Store on fresh data; `reopen` closes it and opens a new one on the same data (with a new notifier).
 */
export interface StoreHarness {
  store: Store;
  backend: BackendInfo;
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}

export interface BackendInfo {
  name: string;
  /** Skip reason when this backend lacks a server feature a case needs, else false. */
  lacks(feature: MongoFeature): string | false;
}

export type StoreFactory = () => Promise<StoreHarness>;

export interface Backend extends BackendInfo {
  factory: StoreFactory;
}

let jongodb: Promise<JongodbServer> | null = null;

function sharedJongodb(): Promise<JongodbServer> {
  if (!jongodb) {
    jongodb = startJongodb();
    void jongodb.then((s) => process.once('exit', () => void s.stop()));
  }
  return jongodb;
}

/** Stops this file's jongodb (call from a top-level `after`; also stopped at exit). */
export async function stopBackends(): Promise<void> {
  if (jongodb) await (await jongodb).stop();
  jongodb = null;
}

/** A harness on `open` (a fresh store on the same data each call); `dispose` removes the data after the last close. */
async function harness(backend: BackendInfo, open: () => Promise<Store>, dispose: () => Promise<void>): Promise<StoreHarness> {
  const h: StoreHarness = {
    store: await open(),
    backend,
    async reopen() {
      await h.store.close();
      h.store = await open();
      return h.store;
    },
    async cleanup() {
      await h.store.close();
      await dispose();
    },
  };
  return h;
}

function sqliteBackend(): Backend {
  const info: BackendInfo = { name: 'sqlite', lacks: () => false };
  return {
    ...info,
    async factory() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-store-'));
      // freshBlobMs 0: the contract checks that freed blobs go at once. Each open has its own notifier (close() closes it).
      return harness(
        info,
        () => openSqliteBackend({ dataDir: dir, notifier: createMemoryNotifier(), freshBlobMs: 0, textExtractor: createSearchTextExtractor() }),
        async () => fs.rmSync(dir, { recursive: true, force: true }),
      );
    },
  };
}

function mongoBackend(name: string, label: string, uriFor: () => Promise<(db: string) => string>, fake: boolean): Backend {
  const info: BackendInfo = {
    name,
    lacks: (feature) => (fake && (JONGODB_LACKS as readonly string[]).includes(feature) ? `jongodb lacks ${feature}: runs with HERON_TEST_MONGODB_URI` : false),
  };
  return {
    ...info,
    async factory() {
      const uri = (await uriFor())(testDatabaseName(label));
      return harness(
        info,
        () => openMongoBackend({ uri, notifier: createMemoryNotifier(), freshBlobMs: 0 }),
        async () => {
          // A real server drops the test database; jongodb cannot (each file uses new names).
          if (fake) return;
          const client = await MongoClient.connect(uri);
          await client.db().dropDatabase();
          await client.close();
        },
      );
    },
  };
}

/** Every backend to run a contract against, for the test file named `label`. */
export function storeBackends(label: string): Backend[] {
  const out: Backend[] = [sqliteBackend()];
  if (haveJongodb()) {
    out.push(
      mongoBackend('jongodb', label, async () => {
        const s = await sharedJongodb();
        return (db) => s.uri(db);
      }, true),
    );
  }
  const real = process.env.HERON_TEST_MONGODB_URI;
  if (real) {
    out.push(
      mongoBackend('mongodb', label, async () => (db) => withDatabase(real, db), false),
    );
  }
  return out;
}
