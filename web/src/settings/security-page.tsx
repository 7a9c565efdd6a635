import { useEffect, useState } from 'preact/hooks';
import { del, get, post } from '../api/client.js';
import type { AppPassword, SessionItem } from '../api/types.js';
import { CodeInput } from '../components/code-input.js';
import { DataTable } from '../components/data-table.js';
import { ErrorText, PageHeading, StatusText } from '../components/page.js';
import { longDate } from '../format.js';
import { Link } from '../router.js';
import { useAction } from '../components/use-action.js';

/** Second factor (authenticator app), app passwords for mail clients, and signed-in sessions. */
export function SecurityPage() {
  return (
    <section class="settings">
      <PageHeading title="Security" />
      <nav aria-label="Settings sections" class="tabs">
        <Link href="/settings">General</Link>
        <Link href="/settings/security" aria-current="page">
          Security
        </Link>
        <Link href="/contacts">Contacts</Link>
      </nav>
      <Totp />
      <AppPasswords />
      <Sessions />
    </section>
  );
}

function Totp() {
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [setup, setSetup] = useState<{ secret: string; qr: string } | null>(null);
  const [code, setCode] = useState('');
  const a = useAction();
  useEffect(() => {
    void get<{ enabled: boolean }>('/v1/me/totp').then((r) => setEnabled(r.enabled));
  }, []);

  const start = () =>
    a.run(async () => {
      const r = await post<{ secret: string; otpauthUrl: string }>('/v1/me/totp');
      // Loaded only here: the QR encoder is most of the bundle and only this form needs it.
      const { toDataURL } = await import('qrcode');
      setSetup({ secret: r.secret, qr: await toDataURL(r.otpauthUrl, { margin: 1, width: 220 }) });
      setCode('');
    });
  const confirm = a.submit(async () => {
    await post('/v1/me/totp/enable', { code: code.trim() });
    setEnabled(true);
    setSetup(null);
    setCode('');
    return 'Authenticator app is on: sign-ins now ask for its code.';
  });
  const disable = a.submit(async () => {
    await post('/v1/me/totp/disable', { code: code.trim() });
    setEnabled(false);
    setCode('');
    return 'Authenticator app removed: sign-ins use SMS codes again.';
  });

  return (
    <section class="card" aria-labelledby="totp-title">
      <h2 id="totp-title">Authenticator app</h2>
      {enabled === null ? (
        <p role="status">Loading…</p>
      ) : enabled ? (
        <form onSubmit={disable}>
          <p>
            <strong>On.</strong> Sign-ins ask for a code from your authenticator app instead of an SMS.
          </p>
          <label for="totp-off-code">Current code, to turn it off</label>
          <CodeInput id="totp-off-code" value={code} onValue={setCode} />
          <button type="submit" class="secondary" disabled={a.busy}>
            Remove authenticator
          </button>
        </form>
      ) : setup ? (
        <form onSubmit={confirm}>
          <p>Scan this code with an authenticator app (or type the key), then enter the 6-digit code it shows.</p>
          <img src={setup.qr} width={220} height={220} alt="QR code that sets up Heron in an authenticator app" class="qr" />
          <p>
            Key: <code class="secret">{setup.secret}</code>
          </p>
          <label for="totp-code">Code from the app</label>
          <CodeInput id="totp-code" value={code} onValue={setCode} />
          <button type="submit" class="primary" disabled={a.busy}>
            Turn on
          </button>
          <button type="button" class="link-button" onClick={() => setSetup(null)}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          <p>Off. Sign-ins use a code sent by SMS.</p>
          <button type="button" class="primary" onClick={() => void start()} disabled={a.busy}>
            Set up authenticator app
          </button>
        </>
      )}
      <ErrorText error={a.error} />
      <StatusText text={a.done} />
    </section>
  );
}

function AppPasswords() {
  const [list, setList] = useState<AppPassword[]>([]);
  const [name, setName] = useState('');
  const [shown, setShown] = useState<{ name: string; password: string } | null>(null);
  const a = useAction();
  const load = async () => setList(await get<AppPassword[]>('/v1/me/app-passwords'));
  useEffect(() => {
    void load();
  }, []);
  return (
    <section class="card" aria-labelledby="apppw-title">
      <h2 id="apppw-title">App passwords</h2>
      <p class="muted">For mail apps (Thunderbird, phones) that sign in over IMAP and SMTP. Each is shown once.</p>
      {shown && (
        <div class="callout" role="alert">
          <p>
            Password for <strong>{shown.name}</strong>:
          </p>
          <p>
            <code class="secret big">{shown.password}</code>
          </p>
          <p>Copy it now: it will not be shown again.</p>
          <button type="button" class="secondary" onClick={() => void navigator.clipboard?.writeText(shown.password)}>
            Copy
          </button>{' '}
          <button type="button" class="link-button" onClick={() => setShown(null)}>
            Done
          </button>
        </div>
      )}
      <form
        onSubmit={a.submit(async () => {
          const r = await post<AppPassword & { password: string }>('/v1/me/app-passwords', { name: name.trim() });
          setShown({ name: r.name, password: r.password });
          setName('');
          await load();
        })}
      >
        <label for="apppw-name">Name of the app or device</label>
        <div class="inline-form">
          <input id="apppw-name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="Thunderbird on laptop" />
          <button type="submit" class="primary" disabled={a.busy}>
            Create
          </button>
        </div>
      </form>
      <ErrorText error={a.error} />
      {list.length > 0 ? (
        <DataTable caption="Your app passwords" columns={['Name', 'Created', 'Last used']}>
          {list.map((p) => (
            <tr key={p.id}>
              <td>{p.name}</td>
              <td>{longDate(p.createdAt)}</td>
              <td>{p.lastUsedAt ? longDate(p.lastUsedAt) : 'Never'}</td>
              <td>
                <button type="button" class="secondary" aria-label={`Revoke ${p.name}`} onClick={() => void a.run(async () => (await del(`/v1/me/app-passwords/${encodeURIComponent(p.id)}`), await load(), `Revoked ${p.name}.`))}>
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>No app passwords yet.</p>
      )}
      <StatusText text={a.done} />
    </section>
  );
}

function Sessions() {
  const [list, setList] = useState<SessionItem[]>([]);
  const a = useAction();
  const load = async () => setList(await get<SessionItem[]>('/v1/me/sessions'));
  useEffect(() => {
    void load();
  }, []);
  const others = list.filter((s) => !s.current).length;
  return (
    <section class="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are signed in</h2>
      <ul class="sessions">
        {list.map((s) => (
          <li key={s.id}>
            <span>
              {s.current ? <strong>This browser</strong> : 'Session'} — signed in {longDate(s.createdAt)}, expires {longDate(s.expiresAt)}
            </span>
            {!s.current && (
              <button type="button" class="secondary" onClick={() => void a.run(async () => (await del(`/v1/me/sessions/${encodeURIComponent(s.id)}`), await load(), 'Signed out that session.'))}>
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      <button
        type="button"
        class="secondary"
        disabled={a.busy || others === 0}
        onClick={() =>
          void a.run(async () => {
            const r = await post<{ revoked: number }>('/v1/me/sessions/revoke-others');
            await load();
            return `Signed out ${r.revoked} other session${r.revoked === 1 ? '' : 's'}.`;
          })
        }
      >
        Sign out all other sessions
      </button>
      <ErrorText error={a.error} />
      <StatusText text={a.done} />
    </section>
  );
}
