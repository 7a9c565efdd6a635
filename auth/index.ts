export { createLoginPolicy, type LoginPolicyOptions } from './login-policy.js';
export { createPasswordOnlyPolicy, statusRefusal } from './password-only-policy.js';
export { createSmsGuard, type SmsGuard, type GuardResult, type SmsRefusal } from './sms-guard.js';
export { createInboxNotifier } from './inbox-notifier.js';
export { checkPhone } from './phone.js';
export { newOtpCode } from './otp-code.js';
export * from './settings.js';
