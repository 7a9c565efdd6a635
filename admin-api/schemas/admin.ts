import { z } from 'zod';
import { Email, IsoDate, OptionalName, Password, Phone, Username } from './common.js';

export const AdminUser = z.object({
  id: z.string(),
  username: z.string(),
  address: z.string(),
  displayName: z.string(),
  verified: z.boolean(),
  disabled: z.boolean(),
  admin: z.boolean(),
  quota: z.number(),
  storageUsed: z.number(),
  createdAt: IsoDate,
});
export const AdminUserList = z.array(AdminUser);
export const AdminCreateUser = z
  .object({
    username: Username,
    password: Password,
    address: Email.optional(),
    firstName: OptionalName.optional(),
    lastName: OptionalName.optional(),
    displayName: OptionalName.optional(),
    phone: Phone.nullable().optional(),
    admin: z.boolean().optional(),
    quota: z.number().int().min(0).max(2 ** 50).optional(),
  })
  .strict();
export const AdminDisable = z.object({ disabled: z.boolean().default(true) }).strict();
export const AuditList = z.array(
  z.object({ id: z.string(), userId: z.string().nullable(), action: z.string(), ip: z.string().nullable(), details: z.record(z.string(), z.unknown()), createdAt: IsoDate }),
);
