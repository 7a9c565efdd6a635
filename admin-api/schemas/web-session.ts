import { z } from 'zod';
import { IsoDate } from './common.js';
import { Profile } from './profile.js';

export const SessionInfo = z.object({ csrfToken: z.string(), expiresAt: IsoDate, profile: Profile });

export const SessionListItem = z.object({ id: z.string(), createdAt: IsoDate, expiresAt: IsoDate, current: z.boolean() });
export const SessionList = z.array(SessionListItem);
export const RevokedCount = z.object({ revoked: z.number().int() });
