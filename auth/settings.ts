/** Every knob of the login policy and the SMS limits, with the defaults the README documents. */
export interface ThrottleSettings {
  /** Failures allowed before each further one imposes a wait. */
  free: number;
  /** Failures within `windowSec` that lock logins for `lockSec`. */
  lockAfter: number;
  windowSec: number;
  lockSec: number;
  /** The wait after failure `free + 1` is 1 s and doubles with each failure, up to this. */
  maxDelaySec: number;
}

export interface SecondFactorSettings {
  /** Wrong codes per account, across challenges, within `windowSec` before SMS/TOTP login locks. */
  maxFailures: number;
  windowSec: number;
  lockSec: number;
}

export interface SmsLimitSettings {
  perPhoneHour: number;
  perPhoneDay: number;
  perIpHour: number;
  perIpDay: number;
  perAccountHour: number;
  perAccountDay: number;
  /** All SMS of the installation per day; reaching it raises heron_sms_global_cap_reached. */
  globalDay: number;
  /** E.164 calling-code prefixes (digits, e.g. "1", "44"); empty: every country. */
  allowCountryCodes: string[];
  /** Refused even when allowed above; by default satellite and international premium ranges. */
  denyCountryCodes: string[];
  registrationsPerIpHour: number;
  registrationsPerIpDay: number;
}

export const DEFAULT_ACCOUNT_THROTTLE: ThrottleSettings = { free: 5, lockAfter: 20, windowSec: 3600, lockSec: 900, maxDelaySec: 60 };
export const DEFAULT_IP_THROTTLE: ThrottleSettings = { free: 20, lockAfter: 100, windowSec: 3600, lockSec: 3600, maxDelaySec: 60 };
export const DEFAULT_SECOND_FACTOR: SecondFactorSettings = { maxFailures: 10, windowSec: 900, lockSec: 3600 };
/** Inmarsat, global mobile satellite, international networks, international premium rate (ITU-T E.164 assignments). */
export const DEFAULT_DENIED_COUNTRY_CODES = ['870', '881', '882', '883', '979'];
export const DEFAULT_SMS_LIMITS: SmsLimitSettings = {
  perPhoneHour: 3,
  perPhoneDay: 10,
  perIpHour: 10,
  perIpDay: 30,
  perAccountHour: 5,
  perAccountDay: 10,
  globalDay: 1000,
  allowCountryCodes: [],
  denyCountryCodes: DEFAULT_DENIED_COUNTRY_CODES,
  registrationsPerIpHour: 5,
  registrationsPerIpDay: 20,
};
