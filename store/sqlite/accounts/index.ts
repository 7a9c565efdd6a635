import type { SqliteDb } from '../db.js';
import type { AccountStore } from '../../../domain/account-store.js';
import { migrateAccounts } from './schema.js';
import { createOtpTable } from './otp.js';
import { createTokenTable } from './tokens.js';
import { createPreferencesTable } from './preferences.js';
import { createAppPasswordTable } from './app-passwords.js';
import { createContactTable } from './contacts.js';
import { createGroupTable } from './groups.js';
import { createAuditTable } from './audit.js';

/**
 * AccountStore on the same SQLite handle as the mail store (tables of the 'accounts' area).
 * better-sqlite3 is synchronous: each method commits before its promise resolves.
 */
export function createAccountStore(db: SqliteDb): AccountStore {
  migrateAccounts(db);
  const otp = createOtpTable(db);
  const tokens = createTokenTable(db);
  const prefs = createPreferencesTable(db);
  const apps = createAppPasswordTable(db);
  const contacts = createContactTable(db);
  const groups = createGroupTable(db);
  const audit = createAuditTable(db);
  const purgeUser = db.transaction((userId: string) => {
    for (const t of ['otp_codes', 'api_tokens', 'user_preferences', 'user_totp', 'app_passwords', 'contact_groups', 'contacts']) {
      db.prepare(`DELETE FROM ${t} WHERE user_id = ?`).run(userId);
    }
  });
  const a = <A extends unknown[], R>(f: (...args: A) => R) => async (...args: A): Promise<Awaited<R>> => await f(...args);
  return {
    createOtp: a(otp.createOtp),
    latestOtp: a(otp.latestOtp),
    getOtp: a(otp.getOtp),
    checkOtp: otp.checkOtp,
    recordToken: a(tokens.recordToken),
    getToken: a(tokens.getToken),
    revokeToken: a(tokens.revokeToken),
    revokeUserTokens: a(tokens.revokeUserTokens),
    listTokens: a(tokens.listTokens),
    getPreferences: a(prefs.getPreferences),
    setPreferences: a(prefs.setPreferences),
    getTotp: a(prefs.getTotp),
    setTotp: a(prefs.setTotp),
    createAppPassword: a(apps.createAppPassword),
    listAppPasswords: a(apps.listAppPasswords),
    deleteAppPassword: a(apps.deleteAppPassword),
    verifyAppPassword: a(apps.verifyAppPassword),
    listContacts: a(contacts.listContacts),
    getContact: a(contacts.getContact),
    createContact: a(contacts.createContact),
    updateContact: a(contacts.updateContact),
    deleteContact: a(contacts.deleteContact),
    listGroups: a(groups.listGroups),
    getGroup: a(groups.getGroup),
    createGroup: a(groups.createGroup),
    updateGroup: a(groups.updateGroup),
    deleteGroup: a(groups.deleteGroup),
    addGroupMembers: a(groups.addGroupMembers),
    removeGroupMember: a(groups.removeGroupMember),
    audit: a(audit.audit),
    listAudit: a(audit.listAudit),
    deleteUserData: a(purgeUser),
  };
}
