import { MongoClient, type Db } from 'mongodb';

/**
 * Connects with the settings every write relies on: majority write concern with journaling (an
 * acknowledged write survives a primary failover), majority reads, retryable writes. The
 * database is the one named in the URI's path, `heron` if none.
 */
export async function connectMongo(uri: string, opts: { appName?: string; serverSelectionTimeoutMS?: number } = {}): Promise<{ client: MongoClient; db: Db }> {
  const client = new MongoClient(uri, {
    appName: opts.appName ?? 'heron',
    writeConcern: { w: 'majority', journal: true },
    readConcern: { level: 'majority' },
    retryWrites: true,
    // Optional fields stay absent (not null), so stored JSON parts read back exactly as written.
    ignoreUndefined: true,
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 15_000,
  });
  await client.connect();
  const name = databaseName(uri);
  return { client, db: client.db(name) };
}

export function databaseName(uri: string): string {
  const m = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(uri);
  const name = m?.[1] ? decodeURIComponent(m[1]) : '';
  return name || 'heron';
}
