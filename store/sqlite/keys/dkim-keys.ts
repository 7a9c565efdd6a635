import type { DkimKey, DkimKeyStore } from '../../../domain/index.js';
import type { SqliteDb } from '../db.js';
import { cachedStatement } from '../context.js';
import { migrateKeys } from './schema.js';

interface Row {
  domain: string;
  selector: string;
  private_key_pem: string;
  public_key_base64: string;
}

const toKey = (r: Row): DkimKey => ({ domain: r.domain, selector: r.selector, privateKeyPem: r.private_key_pem, publicKeyBase64: r.public_key_base64 });

export function createSqliteDkimKeyStore(db: SqliteDb): DkimKeyStore {
  migrateKeys(db);
  const get = (domain: string) => cachedStatement(db, 'SELECT * FROM dkim_keys WHERE domain = ?').get(domain.toLowerCase()) as Row | undefined;
  return {
    async get(domain) {
      const r = get(domain);
      return r ? toKey(r) : null;
    },
    async putIfAbsent(key) {
      const domain = key.domain.toLowerCase();
      cachedStatement(db, 'INSERT INTO dkim_keys (domain, selector, private_key_pem, public_key_base64, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(domain) DO NOTHING').run(
        domain,
        key.selector,
        key.privateKeyPem,
        key.publicKeyBase64,
        Date.now(),
      );
      return toKey(get(domain)!);
    },
    async list() {
      return (cachedStatement(db, 'SELECT * FROM dkim_keys ORDER BY domain').all() as Row[]).map(toKey);
    },
    async delete(domain) {
      cachedStatement(db, 'DELETE FROM dkim_keys WHERE domain = ?').run(domain.toLowerCase());
    },
  };
}
