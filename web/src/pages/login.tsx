import { useState } from 'preact/hooks';
import { api, post } from '../api/client.js';
import type { SessionInfo } from '../api/types.js';
import { CodeInput } from '../components/code-input.js';
import { ErrorText, PageHeading } from '../components/page.js';
import { useAction } from '../components/use-action.js';
import { AuthCard } from './auth-card.js';
import { Link, useLocation } from '../router.js';

type LoginAnswer = { token: string; expiresAt: string } | { challengeId: string; method: 'sms' | 'totp' };

/**
 * Password, then the second factor the server asks for (SMS code or authenticator app). The
 * token the API answers is traded at once for the HttpOnly session cookie and then forgotten.
 */
export function LoginPage({ onSession }: { onSession: (s: SessionInfo) => void }) {
  const { query } = useLocation();
  const [username, setUsername] = useState(query.get('username') ?? '');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<{ id: string; method: 'sms' | 'totp' } | null>(null);
  const [code, setCode] = useState('');
  const { busy, error, submit: run } = useAction();

  const finish = async (token: string) => onSession(await api<SessionInfo>('POST', '/v1/session', {}, { bearer: token }));

  const submitPassword = run(async () => {
    const r = await post<LoginAnswer>('/v1/auth/login', { username: username.trim(), password });
    if ('token' in r) await finish(r.token);
    else {
      setChallenge({ id: r.challengeId, method: r.method });
      setCode('');
    }
  });
  const submitCode = run(async () => {
    const r = await post<{ token: string }>('/v1/auth/login/verify', { challengeId: challenge!.id, code: code.trim() });
    await finish(r.token);
  });

  return (
    <AuthCard>
      {!challenge ? (
        <>
          <PageHeading title="Sign in" />
          {query.get('registered') && (
            <p class="notice" role="status">
              Your phone number is confirmed. Sign in to start.
            </p>
          )}
          <form onSubmit={submitPassword} aria-describedby={error ? 'login-error' : undefined}>
            <label for="login-user">Username or email</label>
            <input id="login-user" name="username" autoComplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
            <label for="login-password">Password</label>
            <input id="login-password" name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
            <ErrorText error={error} id="login-error" />
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Signing in…' : 'Next'}
            </button>
          </form>
          <p>
            No account? <Link href="/register">Create one</Link>
          </p>
        </>
      ) : (
        <>
          <PageHeading title="2-step verification" />
          <p id="code-help">{challenge.method === 'sms' ? 'We sent a 6-digit code to your phone by SMS.' : 'Enter the 6-digit code from your authenticator app.'}</p>
          <form onSubmit={submitCode}>
            <label for="login-code">{challenge.method === 'sms' ? 'SMS code' : 'Authenticator code'}</label>
            <CodeInput id="login-code" name="code" describedBy="code-help" value={code} onValue={setCode} />
            <ErrorText error={error} />
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Checking…' : 'Verify'}
            </button>
            <button type="button" class="link-button" onClick={() => setChallenge(null)}>
              Start over
            </button>
          </form>
        </>
      )}
    </AuthCard>
  );
}
