import { z } from 'zod';
import { IdParam, IsoDate, Line, Name, OptionalName, Password, Phone, Username } from './common.js';

export const RegisterBody = z
  .object({ username: Username, password: Password, phone: Phone, firstName: Name, lastName: OptionalName.optional() })
  .strict();
export const RegisterResponse = z.object({ userId: z.string(), address: z.string(), verified: z.literal(false), codeExpiresAt: IsoDate, resendAfterSec: z.number().int() });

export const OtpCode = z.string().trim().regex(/^\d{6}$/, 'code is 6 digits');
export const VerifyBody = z.object({ userId: IdParam, code: OtpCode }).strict();
export const VerifyResponse = z.object({ verified: z.literal(true) });
export const ResendBody = z.object({ userId: IdParam }).strict();
export const ResendResponse = z.object({ sent: z.boolean(), retryAfterSec: z.number().int(), codeExpiresAt: IsoDate });

export const LoginBody = z.object({ username: Line(254).min(1), password: z.string().min(1).max(256) }).strict();
export const TokenResponse = z.object({ token: z.string(), expiresAt: IsoDate });
export const ChallengeResponse = z.object({ challengeId: z.string(), method: z.enum(['sms', 'totp']) });
export const LoginResponse = z.union([ChallengeResponse, TokenResponse]);
export const LoginVerifyBody = z.object({ challengeId: Line(64).min(1), code: OtpCode }).strict();

export const AppPasswordBody = z.object({ name: Name }).strict();
export const AppPasswordInfo = z.object({ id: z.string(), name: z.string(), createdAt: IsoDate, lastUsedAt: IsoDate.nullable() });
export const AppPasswordCreated = AppPasswordInfo.extend({ password: z.string() });

export const TotpSetupResponse = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const TotpCodeBody = z.object({ code: OtpCode }).strict();
export const TotpStatus = z.object({ enabled: z.boolean() });
