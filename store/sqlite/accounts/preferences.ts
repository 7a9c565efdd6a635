import type { SqliteDb } from '../db.js';
import { DEFAULT_PREFERENCES, type Preferences } from '../../../domain/preferences.js';
import type { TotpState } from '../../../domain/account-store.js';
import type { Id } from '../../../domain/ids.js';

/** Preferences as one JSON document per user, merged over the defaults so new fields need no migration. */
export function createPreferencesTable(db: SqliteDb) {
  const get = db.prepare('SELECT data FROM user_preferences WHERE user_id = ?');
  const put = db.prepare(
    'INSERT INTO user_preferences (user_id, data) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET data = excluded.data',
  );
  const getTotp = db.prepare('SELECT secret, enabled FROM user_totp WHERE user_id = ?');
  const putTotp = db.prepare(
    'INSERT INTO user_totp (user_id, secret, enabled) VALUES (?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET secret = excluded.secret, enabled = excluded.enabled',
  );
  const delTotp = db.prepare('DELETE FROM user_totp WHERE user_id = ?');
  return {
    getPreferences(userId: Id): Preferences {
      const r = get.get(userId) as { data: string } | undefined;
      const stored = r ? (JSON.parse(r.data) as Partial<Preferences>) : {};
      return {
        ...DEFAULT_PREFERENCES,
        ...stored,
        vacation: { ...DEFAULT_PREFERENCES.vacation, ...(stored.vacation ?? {}) },
      };
    },
    setPreferences(userId: Id, prefs: Preferences): Preferences {
      put.run(userId, JSON.stringify(prefs));
      return prefs;
    },
    getTotp(userId: Id): TotpState | null {
      const r = getTotp.get(userId) as { secret: string; enabled: number } | undefined;
      return r ? { secret: r.secret, enabled: r.enabled !== 0 } : null;
    },
    setTotp(userId: Id, state: TotpState | null): void {
      if (state) putTotp.run(userId, state.secret, state.enabled ? 1 : 0);
      else delTotp.run(userId);
    },
  };
}
