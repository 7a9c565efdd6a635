/** SMS text templates; `${name}` placeholders are filled from the variables, unknown ones left empty. */
export type SmsTemplateName = 'registration' | 'login' | 'resend';

export const DEFAULT_SMS_TEMPLATES: Record<SmsTemplateName, string> = {
  registration: 'Thanks ${firstName} for registering, your one time password is ${code}',
  login: 'Your Heron sign-in code is ${code}',
  resend: 'Your Heron verification code is ${code}',
};

export function renderTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\$\{(\w+)\}/g, (_, name: string) => vars[name] ?? '');
}
