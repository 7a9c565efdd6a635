import type { AccountStore } from '../../../domain/index.js';
import type { MongoContext } from '../context.js';
import { createOtpMethods } from './otp.js';
import { createTokenMethods } from './tokens.js';
import { createPreferenceMethods } from './preferences.js';
import { createAppPasswordMethods } from './app-passwords.js';
import { createContactMethods } from './contacts.js';
import { createGroupMethods } from './groups.js';
import { createAuditMethods } from './audit.js';

/** AccountStore on MongoDB: one collection per kind of record, each keyed or indexed by userId. */
export function createMongoAccountStore(ctx: MongoContext): AccountStore {
  const { c } = ctx;
  return {
    ...createOtpMethods(c),
    ...createTokenMethods(c),
    ...createPreferenceMethods(c),
    ...createAppPasswordMethods(c),
    ...createContactMethods(c),
    ...createGroupMethods(ctx),
    ...createAuditMethods(c),
    async deleteUserData(userId) {
      // The audit log stays: it is the record of what happened to the account.
      await c.otpCodes.deleteMany({ userId });
      await c.apiTokens.deleteMany({ userId });
      await c.preferences.deleteMany({ userId });
      await c.totp.deleteMany({ userId });
      await c.appPasswords.deleteMany({ userId });
      await c.groupMembers.deleteMany({ userId });
      await c.contactGroups.deleteMany({ userId });
      await c.contacts.deleteMany({ userId });
    },
  };
}
