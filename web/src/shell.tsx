import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from './components/icon.js';
import { Link, match, navigate, useLocation } from './router.js';
import { INBOX, mailboxName, mailboxPath, resolveMailbox, useApp } from './state.js';
import { SHORTCUT_HELP, useShortcuts } from './shortcuts.js';
import { ConversationList } from './mail/conversation-list.js';
import { ThreadView } from './mail/thread-view.js';
import { SearchResults } from './mail/search-results.js';
import { SettingsPage } from './settings/settings-page.js';
import { SecurityPage } from './settings/security-page.js';
import { ContactsPage } from './settings/contacts-page.js';
import { ErrorText, PageHeading } from './components/page.js';
import { describeError, post } from './api/client.js';

const ORDER = ['\\Inbox', '\\Drafts', '\\Sent', '\\Archive', '\\Junk', '\\Trash'];

/** The signed-in frame: header with search and compose, mailbox navigation, the routed view. */
export function Shell() {
  const app = useApp();
  const loc = useLocation();
  const [navOpen, setNavOpen] = useState(false);
  const [help, setHelp] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  const gPressed = useRef(0);
  const [q, setQ] = useState(loc.query.get('q') ?? '');

  useEffect(() => setNavOpen(false), [loc.path]);
  useEffect(() => {
    if (loc.path === '/search' || loc.path.startsWith('/search/')) setQ(loc.query.get('q') ?? '');
  }, [loc.path, loc.query.get('q')]);

  useShortcuts({
    c: () => app.openCompose(),
    '/': () => search.current?.focus(),
    '?': () => setHelp(true),
    g: () => {
      gPressed.current = Date.now();
    },
    i: () => {
      if (Date.now() - gPressed.current < 1500) navigate(`/mail/${INBOX}`);
    },
  });

  const boxes = [...app.mailboxes].sort((a, b) => {
    const ia = a.specialUse ? ORDER.indexOf(a.specialUse) : 99;
    const ib = b.specialUse ? ORDER.indexOf(b.specialUse) : 99;
    return ia - ib || a.path.localeCompare(b.path);
  });
  const current = match('/mail/:box', loc.path) ?? match('/mail/:box/:thread', loc.path);
  const currentBox = current ? resolveMailbox(app.mailboxes, current.box!) : undefined;

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button type="button" class="icon-button nav-toggle" aria-expanded={navOpen} aria-controls="mail-nav" onClick={() => setNavOpen(!navOpen)}>
          <Icon name="menu" />
          <span class="visually-hidden">Mailboxes</span>
        </button>
        <Link href="/" class="brand">
          Heron
        </Link>
        <form
          role="search"
          class="search"
          onSubmit={(e) => {
            e.preventDefault();
            if (q.trim()) navigate(`/search?q=${encodeURIComponent(q.trim())}`);
          }}
        >
          <label for="search-input" class="visually-hidden">
            Search mail
          </label>
          <input id="search-input" ref={search} type="search" placeholder="Search mail (from:, has:attachment, …)" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
          <button type="submit" class="icon-button" aria-label="Search">
            <Icon name="search" />
          </button>
        </form>
        <AccountMenu />
      </header>
      <div class="body">
        <nav
          id="mail-nav"
          class={navOpen ? 'sidenav open' : 'sidenav'}
          aria-label="Mailboxes"
          onClick={(e) => {
            // On a phone the menu covers the page: any link in it closes it, even to where we are.
            if ((e.target as Element).closest('a')) setNavOpen(false);
          }}
        >
          <button type="button" class="primary compose-button" onClick={() => app.openCompose()}>
            Compose
          </button>
          <ul>
            {boxes.map((b) => (
              <li key={b.id}>
                <Link href={mailboxPath(b)} aria-current={currentBox?.id === b.id ? 'page' : undefined} class={b.unseen > 0 && b.specialUse !== '\\Trash' ? 'has-unread' : undefined}>
                  <span class="box-name">{mailboxName(b)}</span>
                  {b.unseen > 0 && b.specialUse !== '\\Trash' && b.specialUse !== '\\Sent' && (
                    <span class="count">
                      {b.unseen}
                      <span class="visually-hidden"> unread</span>
                    </span>
                  )}
                </Link>
              </li>
            ))}
          </ul>
          <NewLabel />
          <ul class="secondary-nav">
            <li>
              <Link href="/contacts" aria-current={loc.path === '/contacts' ? 'page' : undefined}>
                Contacts
              </Link>
            </li>
            <li>
              <Link href="/settings" aria-current={loc.path.startsWith('/settings') ? 'page' : undefined}>
                Settings
              </Link>
            </li>
          </ul>
        </nav>
        <main id="main" class="content">
          <Routed />
        </main>
      </div>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </div>
  );
}

/** Labels are the user's own mailboxes: this makes one. */
function NewLabel() {
  const app = useApp();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open)
    return (
      <button type="button" class="link-button new-label" onClick={() => setOpen(true)}>
        New label
      </button>
    );
  return (
    <form
      class="new-label-form"
      onSubmit={(e) => {
        e.preventDefault();
        post<{ id: string }>('/v1/mailboxes', { path: name.trim() }).then(
          async (b) => {
            await app.refreshMailboxes();
            setOpen(false);
            setName('');
            navigate(`/mail/${encodeURIComponent(b.id)}`);
          },
          (err) => setError(describeError(err)),
        );
      }}
    >
      <label for="new-label">Label name</label>
      <input id="new-label" required maxLength={200} value={name} autoFocus onInput={(e) => setName(e.currentTarget.value)} />
      <ErrorText error={error} />
      <button type="submit" class="secondary">
        Create
      </button>
      <button type="button" class="link-button" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}

/** The account button and its menu (disclosure pattern: Escape or a click elsewhere closes it). */
function AccountMenu() {
  const app = useApp();
  const loc = useLocation();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const p = app.session.profile;
  useEffect(() => setOpen(false), [loc.path]);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        box.current?.querySelector<HTMLButtonElement>('button')?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div class="account-menu" ref={box}>
      <button type="button" class="icon-button avatar-button" aria-label={`Account: ${p.address}`} aria-expanded={open} aria-controls="account-menu" onClick={() => setOpen(!open)}>
        <span aria-hidden="true" class="avatar">
          {(p.displayName || p.username).charAt(0).toUpperCase()}
        </span>
      </button>
      <div id="account-menu" class="menu" hidden={!open}>
        <p class="menu-who">
          {p.displayName || p.username}
          <br />
          <span class="muted">{p.address}</span>
        </p>
        <Link href="/settings">Settings</Link>
        <Link href="/settings/security">Security</Link>
        <Link href="/contacts">Contacts</Link>
        <button type="button" class="link-button" onClick={() => void app.logout()}>
          Sign out
        </button>
      </div>
    </div>
  );
}

function Routed() {
  const { path } = useLocation();
  let m;
  if ((m = match('/mail/:box', path))) return <ConversationList key={m.box} mailboxId={m.box!} />;
  if ((m = match('/mail/:box/:thread', path))) return <ThreadView key={m.thread} threadId={m.thread!} mailboxId={m.box!} />;
  if (path === '/search') return <SearchResults />;
  if ((m = match('/search/:thread', path))) return <ThreadView key={m.thread} threadId={m.thread!} />;
  if (path === '/settings') return <SettingsPage />;
  if (path === '/settings/security') return <SecurityPage />;
  if (path === '/contacts') return <ContactsPage />;
  if (path === '/' || path === '/login') return <p role="status">Loading…</p>;
  return (
    <section>
      <PageHeading title="Not found" />
      <p>
        There is nothing at this address. <Link href="/">Go to the inbox</Link>.
      </p>
    </section>
  );
}

function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="help-title" onClose={onClose}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUT_HELP.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">
                <kbd>{k}</kbd>
              </th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" class="primary">
          Close
        </button>
      </form>
    </dialog>
  );
}
