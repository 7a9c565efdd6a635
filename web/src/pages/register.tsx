import { useEffect, useState } from 'preact/hooks';
import { ApiError, post } from '../api/client.js';
import { CodeInput } from '../components/code-input.js';
import { ErrorText, PageHeading } from '../components/page.js';
import { useAction } from '../components/use-action.js';
import { AuthCard } from './auth-card.js';
import { clockTime } from '../format.js';
import { Link, navigate } from '../router.js';

/** The server's default code lifetime (auth.otpTtl), used when an answer does not say. */
const DEFAULT_CODE_TTL_MS = 10 * 60_000;

interface Pending {
  userId: string;
  address: string;
  phone: string;
  expiresAt: Date;
  resendAt: Date;
}

function useNow(active: boolean): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

const untilText = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** Register with a phone number, then confirm the SMS code (resend after a cooldown; expiry shown). */
export function RegisterPage() {
  const [form, setForm] = useState({ username: '', password: '', firstName: '', lastName: '', phone: '' });
  const [pending, setPending] = useState<Pending | null>(null);
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, submit } = useAction();
  const now = useNow(pending !== null);

  const field = (name: keyof typeof form) => ({
    id: `reg-${name}`,
    name,
    value: form[name],
    onInput: (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value }),
  });

  const run = (f: () => Promise<void>) =>
    submit(async () => {
      try {
        await f();
      } catch (err) {
        // The server's cooldown is the one that counts: the resend button waits for it.
        if (err instanceof ApiError && err.code === 'resend_cooldown' && err.retryAfterSec && pending) {
          setPending({ ...pending, resendAt: new Date(Date.now() + err.retryAfterSec * 1000) });
        }
        throw err;
      }
    });

  const register = run(async () => {
    const body = { username: form.username.trim(), password: form.password, phone: form.phone.replace(/[\s()-]/g, ''), firstName: form.firstName.trim(), ...(form.lastName.trim() ? { lastName: form.lastName.trim() } : {}) };
    const r = await post<{ userId: string; address: string; codeExpiresAt?: string; resendAfterSec?: number }>('/v1/auth/register', body);
    const sent = Date.now();
    setPending({
      userId: r.userId,
      address: r.address,
      phone: body.phone,
      expiresAt: r.codeExpiresAt ? new Date(r.codeExpiresAt) : new Date(sent + DEFAULT_CODE_TTL_MS),
      resendAt: new Date(sent + (r.resendAfterSec ?? 60) * 1000),
    });
  });

  const resend = run(async () => {
    const r = await post<{ retryAfterSec: number; codeExpiresAt?: string }>('/v1/auth/otp/resend', { userId: pending!.userId });
    const sent = Date.now();
    setPending({ ...pending!, expiresAt: r.codeExpiresAt ? new Date(r.codeExpiresAt) : new Date(sent + DEFAULT_CODE_TTL_MS), resendAt: new Date(sent + r.retryAfterSec * 1000) });
    setCode('');
    setNotice('A new code is on its way.');
  });

  const verify = run(async () => {
    await post('/v1/auth/verify', { userId: pending!.userId, code: code.trim() });
    navigate(`/login?username=${encodeURIComponent(form.username.trim())}&registered=1`);
  });

  if (pending) {
    const expired = now >= pending.expiresAt;
    const canResend = now >= pending.resendAt;
    return (
      <AuthCard brand={false}>
        <PageHeading title="Confirm your phone" />
        <p>
          Your address will be <strong>{pending.address}</strong>. We sent a 6-digit code by SMS to <strong>{pending.phone}</strong>.
        </p>
        <p class={expired ? 'error' : 'muted'} id="code-expiry">
          {expired ? 'The code has expired: ask for a new one.' : `The code expires at ${clockTime(pending.expiresAt)} (in ${untilText(pending.expiresAt.getTime() - now.getTime())}).`}
        </p>
        <form onSubmit={verify}>
          <label for="reg-code">SMS code</label>
          <CodeInput id="reg-code" name="code" describedBy="code-expiry" value={code} onValue={setCode} />
          <ErrorText error={error} />
          {notice && !error && <p role="status">{notice}</p>}
          <button type="submit" class="primary" disabled={busy || expired}>
            Verify
          </button>
          <button type="button" class="secondary" disabled={busy || !canResend} onClick={() => void resend()}>
            {canResend ? 'Resend code' : `Resend code in ${untilText(pending.resendAt.getTime() - now.getTime())}`}
          </button>
        </form>
      </AuthCard>
    );
  }

  return (
    <AuthCard>
      <PageHeading title="Create your account" />
      <form onSubmit={register}>
        <div class="row-2">
          <div>
            <label for="reg-firstName">First name</label>
            <input {...field('firstName')} autoComplete="given-name" required />
          </div>
          <div>
            <label for="reg-lastName">Last name (optional)</label>
            <input {...field('lastName')} autoComplete="family-name" />
          </div>
        </div>
        <label for="reg-username">Username</label>
        <input {...field('username')} autoComplete="username" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]{1,31}" aria-describedby="reg-username-help" />
        <p class="hint" id="reg-username-help">
          2–32 letters, digits, dots, dashes or underscores. It becomes your email address.
        </p>
        <label for="reg-password">Password</label>
        <input {...field('password')} type="password" autoComplete="new-password" required minLength={8} aria-describedby="reg-password-help" />
        <p class="hint" id="reg-password-help">
          At least 8 characters.
        </p>
        <label for="reg-phone">Mobile phone</label>
        <input {...field('phone')} type="tel" autoComplete="tel" required placeholder="+15551234567" aria-describedby="reg-phone-help" />
        <p class="hint" id="reg-phone-help">
          In international form. We send a code there now and when you sign in.
        </p>
        <ErrorText error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p>
        Have an account? <Link href="/login">Sign in</Link>
      </p>
    </AuthCard>
  );
}
