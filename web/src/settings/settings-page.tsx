import { useEffect, useMemo, useState } from 'preact/hooks';
import { get, put } from '../api/client.js';
import type { Preferences, Profile } from '../api/types.js';
import { ErrorText, PageHeading, StatusText } from '../components/page.js';
import { Link } from '../router.js';
import { useApp } from '../state.js';
import { useAction } from '../components/use-action.js';

const LANGUAGES: Array<[string, string]> = [
  ['en', 'English'],
  ['de', 'Deutsch'],
  ['es', 'Español'],
  ['fr', 'Français'],
  ['it', 'Italiano'],
  ['nl', 'Nederlands'],
  ['pt', 'Português'],
  ['sv', 'Svenska'],
];

function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, ...all])].filter(Boolean);
}

/** Profile (names, phone) and preferences (language, time zone, signature, vacation reply). */
export function SettingsPage() {
  return (
    <section class="settings">
      <PageHeading title="Settings" />
      <nav aria-label="Settings sections" class="tabs">
        <Link href="/settings" aria-current="page">
          General
        </Link>
        <Link href="/settings/security">Security</Link>
        <Link href="/contacts">Contacts</Link>
      </nav>
      <ProfileForm />
      <PreferencesForm />
    </section>
  );
}

function ProfileForm() {
  const [p, setP] = useState<Profile | null>(null);
  const [form, setForm] = useState({ firstName: '', lastName: '', displayName: '', phone: '', currentPassword: '' });
  const a = useAction();
  useEffect(() => {
    void get<Profile>('/v1/me/profile').then((x) => {
      setP(x);
      setForm({ firstName: x.firstName, lastName: x.lastName, displayName: x.displayName, phone: x.phone ?? '', currentPassword: '' });
    });
  }, []);
  if (!p) return <p role="status">Loading profile…</p>;
  const phoneChanged = (form.phone || null) !== p.phone;
  const bind = (k: keyof typeof form) => ({ id: `profile-${k}`, value: form[k], onInput: (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value }) });
  return (
    <form
      class="card"
      aria-labelledby="profile-title"
      onSubmit={a.submit(async () => {
        const body: Record<string, unknown> = { firstName: form.firstName, lastName: form.lastName, displayName: form.displayName };
        if (phoneChanged) Object.assign(body, { phone: form.phone || null, currentPassword: form.currentPassword });
        const x = await put<Profile>('/v1/me/profile', body);
        setP(x);
        setForm({ ...form, currentPassword: '' });
        return 'Profile saved.';
      })}
    >
      <h2 id="profile-title">Profile</h2>
      <p class="muted">
        Signed in as <strong>{p.address}</strong>
      </p>
      <div class="row-2">
        <div>
          <label for="profile-firstName">First name</label>
          <input {...bind('firstName')} autoComplete="given-name" />
        </div>
        <div>
          <label for="profile-lastName">Last name</label>
          <input {...bind('lastName')} autoComplete="family-name" />
        </div>
      </div>
      <label for="profile-displayName">Name shown to recipients</label>
      <input {...bind('displayName')} autoComplete="name" />
      <label for="profile-phone">Mobile phone (SMS codes)</label>
      <input {...bind('phone')} type="tel" autoComplete="tel" placeholder="+15551234567" />
      {phoneChanged && (
        <>
          <label for="profile-currentPassword">Current password (needed to change the phone)</label>
          <input {...bind('currentPassword')} type="password" autoComplete="current-password" required />
        </>
      )}
      <ErrorText error={a.error} />
      <StatusText text={a.done} />
      <button type="submit" class="primary" disabled={a.busy}>
        Save profile
      </button>
    </form>
  );
}

function PreferencesForm() {
  const app = useApp();
  const [form, setForm] = useState<Preferences | null>(app.prefs);
  const a = useAction();
  useEffect(() => {
    if (!form) void get<Preferences>('/v1/me/preferences').then(setForm);
  }, []);
  const zoneList = useMemo(() => zones(form?.timezone ?? 'UTC'), [form?.timezone]);
  if (!form) return <p role="status">Loading preferences…</p>;
  const v = form.vacation;
  const setV = (patch: Partial<Preferences['vacation']>) => setForm({ ...form, vacation: { ...v, ...patch } });
  return (
    <form
      class="card"
      aria-labelledby="prefs-title"
      onSubmit={a.submit(async () => {
        const saved = await put<Preferences>('/v1/me/preferences', {
          language: form.language,
          timezone: form.timezone,
          signature: form.signature,
          requireAppPasswords: form.requireAppPasswords,
          vacation: { ...v, start: v.start || null, end: v.end || null },
        });
        setForm(saved);
        app.setPrefs(saved);
        return 'Preferences saved.';
      })}
    >
      <h2 id="prefs-title">Preferences</h2>
      <div class="row-2">
        <div>
          <label for="pref-language">Language</label>
          <select id="pref-language" value={form.language} onChange={(e) => setForm({ ...form, language: e.currentTarget.value })}>
            {!LANGUAGES.some(([c]) => c === form.language) && <option value={form.language}>{form.language}</option>}
            {LANGUAGES.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="pref-timezone">Time zone</label>
          <select id="pref-timezone" value={form.timezone} onChange={(e) => setForm({ ...form, timezone: e.currentTarget.value })}>
            {zoneList.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </div>
      </div>
      <label for="pref-signature">Signature</label>
      <textarea id="pref-signature" rows={4} value={form.signature} aria-describedby="pref-signature-help" onInput={(e) => setForm({ ...form, signature: e.currentTarget.value })} />
      <p class="hint" id="pref-signature-help">
        Added below a "-- " line when you write a new message, reply or forward.
      </p>

      <fieldset>
        <legend>Vacation reply</legend>
        <label class="check">
          <input type="checkbox" checked={v.enabled} onChange={(e) => setV({ enabled: e.currentTarget.checked })} /> Reply automatically while I am away
        </label>
        <div class="row-2">
          <div>
            <label for="vac-start">First day</label>
            <input id="vac-start" type="date" value={v.start?.slice(0, 10) ?? ''} onInput={(e) => setV({ start: e.currentTarget.value || null })} />
          </div>
          <div>
            <label for="vac-end">Last day</label>
            <input id="vac-end" type="date" value={v.end?.slice(0, 10) ?? ''} min={v.start?.slice(0, 10)} onInput={(e) => setV({ end: e.currentTarget.value || null })} />
          </div>
        </div>
        <label for="vac-subject">Subject</label>
        <input id="vac-subject" value={v.subject} onInput={(e) => setV({ subject: e.currentTarget.value })} />
        <label for="vac-body">Message</label>
        <textarea id="vac-body" rows={4} value={v.body} onInput={(e) => setV({ body: e.currentTarget.value })} />
      </fieldset>

      <label class="check">
        <input type="checkbox" checked={form.requireAppPasswords} onChange={(e) => setForm({ ...form, requireAppPasswords: e.currentTarget.checked })} /> Mail apps (IMAP, SMTP) must use app passwords
      </label>
      <ErrorText error={a.error} />
      <StatusText text={a.done} />
      <button type="submit" class="primary" disabled={a.busy}>
        Save preferences
      </button>
    </form>
  );
}
