import { z } from 'zod';
import { Line, Text } from './common.js';

function isBcp47(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

function isIanaZone(zone: string): boolean {
  // Offsets such as "+01:00" are accepted by newer Intl but are not IANA zone names.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,3}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const DateOrNull = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, 'ISO 8601 date')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a date')
  .nullable();

const SenderEntry = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^([^\s@<>]+@[a-z0-9.-]+|@[a-z0-9.-]+)$/, 'an address or @domain');

export const Vacation = z
  .object({ enabled: z.boolean(), subject: Line(200), body: Text(10_000), start: DateOrNull, end: DateOrNull })
  .strict();
const VacationWindow = Vacation.refine((v) => !v.start || !v.end || Date.parse(v.start) <= Date.parse(v.end), { message: 'vacation end is before its start', path: ['end'] });

export const PreferencesSchema = z
  .object({
    language: z.string().max(35).refine(isBcp47, 'language must be a BCP 47 tag'),
    timezone: z.string().max(64).refine(isIanaZone, 'timezone must be an IANA zone name'),
    signature: Text(10_000),
    vacation: Vacation,
    spamHandling: z.enum(['junk', 'tag']),
    allowSenders: z.array(SenderEntry).max(1000),
    blockSenders: z.array(SenderEntry).max(1000),
    requireAppPasswords: z.boolean(),
  })
  .strict();

/** PUT merges: every field optional, vacation merged field by field, unknown fields refused. */
export const PreferencesUpdate = PreferencesSchema.extend({ vacation: Vacation.partial().strict() }).partial().strict();

/** The merged result must hold together too (the vacation window spans PUTs). */
export const PreferencesChecked = PreferencesSchema.extend({ vacation: VacationWindow });
