import { DEFAULT_PREFERENCES, type Preferences, type TotpState } from '../../../domain/index.js';
import type { Collections } from '../collections.js';

/** Preferences as one JSON document per user, merged over the defaults so new fields need no migration. */
export function createPreferenceMethods(c: Collections) {
  return {
    async getPreferences(userId: string): Promise<Preferences> {
      const d = await c.preferences.findOne({ _id: userId });
      const stored = d ? (JSON.parse(d.data) as Partial<Preferences>) : {};
      return { ...DEFAULT_PREFERENCES, ...stored, vacation: { ...DEFAULT_PREFERENCES.vacation, ...(stored.vacation ?? {}) } };
    },
    async setPreferences(userId: string, prefs: Preferences): Promise<Preferences> {
      await c.preferences.replaceOne({ _id: userId }, { userId, data: JSON.stringify(prefs) }, { upsert: true });
      return prefs;
    },
    async getTotp(userId: string): Promise<TotpState | null> {
      const d = await c.totp.findOne({ _id: userId });
      return d ? { secret: d.secret, enabled: d.enabled } : null;
    },
    async setTotp(userId: string, state: TotpState | null): Promise<void> {
      if (state) await c.totp.replaceOne({ _id: userId }, { userId, secret: state.secret, enabled: state.enabled }, { upsert: true });
      else await c.totp.deleteOne({ _id: userId });
    },
  };
}
