/** E.164 (ITU-T): a plus, a country code that does not start with 0, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;

export type PhoneCheck = 'ok' | 'phone_invalid' | 'phone_not_allowed';

/**
 * Whether SMS may be sent to `phone`: E.164 syntax, then the calling-code allow list (empty
 * allows all) and deny list, matched as prefixes of the digits so "1" covers NANP and "4475"
 * one range.
 */
export function checkPhone(phone: string, allow: readonly string[], deny: readonly string[]): PhoneCheck {
  if (typeof phone !== 'string' || !E164.test(phone)) return 'phone_invalid';
  const digits = phone.slice(1);
  if (deny.some((p) => digits.startsWith(p))) return 'phone_not_allowed';
  if (allow.length > 0 && !allow.some((p) => digits.startsWith(p))) return 'phone_not_allowed';
  return 'ok';
}
