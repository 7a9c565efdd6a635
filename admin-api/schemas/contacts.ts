import { z } from 'zod';
import { Email, IdParam, IsoDate, Name, Phone, Text } from './common.js';

export const ContactBody = z.object({ name: Name, email: Email, phone: Phone.nullable().optional(), notes: Text(5000).nullable().optional() }).strict();
export const ContactSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  notes: z.string().nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export const ContactList = z.array(ContactSchema);

export const GroupBody = z.object({ name: Name, contactIds: z.array(IdParam).max(1000).optional() }).strict();
export const GroupMembersBody = z.object({ contactIds: z.array(IdParam).min(1).max(1000) }).strict();
export const GroupSchema = z.object({ id: z.string(), name: z.string(), contactIds: z.array(z.string()), members: ContactList, createdAt: IsoDate });
export const GroupList = z.array(GroupSchema);
