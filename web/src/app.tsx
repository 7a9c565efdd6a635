import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, del, get, onUnauthorized, setCsrfToken } from './api/client.js';
import type { Mailbox, Preferences, SessionInfo } from './api/types.js';
import { ToastProvider } from './components/toast.js';
import { setDisplayPreferences } from './format.js';
import { LoginPage } from './pages/login.js';
import { RegisterPage } from './pages/register.js';
import { navigate, useLocation } from './router.js';
import { Shell } from './shell.js';
import { AppContext, INBOX, type AppState, type ComposeInit } from './state.js';
import { Compose } from './mail/compose.js';
import { useUndoSend } from './mail/undo-send.js';

/** The page's root: finds out whether a session cookie is live, then shows sign-in or the app. */
export function App() {
  const [session, setSession] = useState<SessionInfo | null | 'loading'>('loading');
  const loc = useLocation();

  useEffect(() => {
    api<SessionInfo>('GET', '/v1/session', undefined, { quiet401: true }).then(
      (s) => {
        setCsrfToken(s.csrfToken);
        setSession(s);
      },
      () => setSession(null),
    );
  }, []);
  useEffect(
    () =>
      onUnauthorized(() => {
        setCsrfToken(null);
        setSession(null);
      }),
    [],
  );

  const signedIn = (s: SessionInfo) => {
    setCsrfToken(s.csrfToken);
    setSession(s);
    const next = new URLSearchParams(window.location.search).get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
  };

  if (session === 'loading') return <p class="loading" role="status">Loading…</p>;
  return <ToastProvider>{session ? <SignedIn session={session} onLogout={() => setSession(null)} /> : loc.path === '/register' ? <RegisterPage /> : <SignedOut onSession={signedIn} />}</ToastProvider>;
}

function SignedOut({ onSession }: { onSession: (s: SessionInfo) => void }) {
  const loc = useLocation();
  useEffect(() => {
    if (loc.path !== '/login') navigate(`/login${loc.path !== '/' ? `?next=${encodeURIComponent(loc.path + window.location.search)}` : ''}`, { replace: true });
  }, [loc.path]);
  return <LoginPage onSession={onSession} />;
}

function SignedIn({ session, onLogout }: { session: SessionInfo; onLogout: () => void }) {
  const [prefs, setPrefsState] = useState<Preferences | null>(null);
  const [mailboxes, setMailboxes] = useState<Mailbox[]>([]);
  const [compose, setCompose] = useState<{ key: number; init: ComposeInit } | null>(null);
  const listeners = useRef(new Set<(mailboxId: string) => void>());
  const loc = useLocation();

  const setPrefs = useCallback((p: Preferences) => {
    setDisplayPreferences(p);
    setPrefsState(p);
  }, []);
  const refreshMailboxes = useCallback(async () => {
    setMailboxes(await get<Mailbox[]>('/v1/mailboxes'));
  }, []);

  useEffect(() => {
    void get<Preferences>('/v1/me/preferences').then(setPrefs, () => undefined);
    void refreshMailboxes().catch(() => undefined);
    // New mail without a reload: the store's change events, pushed by the server.
    const events = new EventSource('/v1/events');
    events.addEventListener('change', (e) => {
      const { mailboxId } = JSON.parse((e as MessageEvent<string>).data) as { mailboxId: string };
      void refreshMailboxes().catch(() => undefined);
      for (const l of listeners.current) l(mailboxId);
    });
    return () => events.close();
  }, []);

  // `/` is the inbox; its list loads alongside the mailboxes, not after them.
  useEffect(() => {
    if (loc.path === '/' || loc.path === '/login') navigate(`/mail/${INBOX}`, { replace: true });
  }, [loc.path]);

  const sendLater = useUndoSend(
    (init) => setCompose({ key: Date.now(), init }),
    () => void refreshMailboxes().catch(() => undefined),
  );

  const state = useMemo<AppState>(
    () => ({
      session,
      prefs,
      setPrefs,
      mailboxes,
      refreshMailboxes,
      onMailChange(l) {
        listeners.current.add(l);
        return () => listeners.current.delete(l);
      },
      openCompose(init = {}) {
        setCompose({ key: Date.now(), init });
      },
      async logout() {
        await del('/v1/session').catch(() => undefined);
        setCsrfToken(null);
        onLogout();
        navigate('/login', { replace: true });
      },
    }),
    [session, prefs, mailboxes],
  );

  return (
    <AppContext.Provider value={state}>
      <Shell />
      {compose && <Compose key={compose.key} init={compose.init} onClose={() => setCompose(null)} onSend={sendLater} />}
    </AppContext.Provider>
  );
}

