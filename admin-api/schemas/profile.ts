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
  .object({ firstName: OptionalName.optional(), lastName: OptionalName.optional(), displayName: OptionalName.optional(), phone: Phone.nullable().optional() })
  .strict();
