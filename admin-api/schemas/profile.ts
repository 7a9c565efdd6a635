import { z } from 'zod';
import { IsoDate, OptionalName, Phone } from './common.js';

export const Profile = z.object({
  userId: z.string(),
  username: z.string(),
  address: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
  verified: z.boolean(),
  admin: z.boolean(),
  createdAt: IsoDate,
});

export const ProfileUpdate = z
  .object({
    firstName: OptionalName.optional(),
    lastName: OptionalName.optional(),
    displayName: OptionalName.optional(),
    phone: Phone.nullable().optional(),
    /** Needed to change the phone: it is the SMS second factor, so a stolen token must not be enough. */
    currentPassword: z.string().min(1).max(256).optional(),
  })
  .strict();
