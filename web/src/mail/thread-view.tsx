import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../components/icon.js';
import { describeError, get } from '../api/client.js';
import type { MessageDetail, MessageSummary } from '../api/types.js';
import { ErrorText, PageHeading } from '../components/page.js';
import { useToast } from '../components/toast.js';
import { longDate, parseAddresses, displayName, shortDate } from '../format.js';
import { navigate, useLocation } from '../router.js';
import { useShortcuts } from '../shortcuts.js';
import { INBOX, mailboxBySpecial, mailboxName, resolveMailbox, useApp } from '../state.js';
import { mailActions } from './actions.js';
import { MessageBody } from './message-body.js';
import { replyInit, type ReplyMode } from './reply.js';

/**
 * A conversation: its messages oldest first, the newest (and unread ones) open, the rest folded
 * to one line. Only opened messages fetch their body. Opening marks them read.
 */
export function ThreadView({ threadId, mailboxId }: { threadId: string; mailboxId?: string }) {
  const app = useApp();
  const toast = useToast();
  const loc = useLocation();
  const [messages, setMessages] = useState<MessageSummary[] | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [details, setDetails] = useState<Record<string, MessageDetail>>({});
  const [error, setError] = useState<string | null>(null);
  const [moveTarget, setMoveTarget] = useState('');
  const focusIdx = useRef(-1);
  const articles = useRef<HTMLDivElement>(null);
  const box = mailboxId ? resolveMailbox(app.mailboxes, mailboxId) : undefined;
  const backHref = mailboxId ? `/mail/${encodeURIComponent(mailboxId)}` : `/search?${new URLSearchParams({ q: loc.query.get('q') ?? '' })}`;

  const load = async () => {
    try {
      const viewing = box?.id ?? (mailboxId !== INBOX ? mailboxId : undefined);
      const r = await get<{ messages: MessageSummary[] }>(`/v1/threads/${encodeURIComponent(threadId)}${viewing ? `?mailboxId=${encodeURIComponent(viewing)}` : ''}`);
      setMessages(r.messages);
      setError(null);
      return r.messages;
    } catch (err) {
      setError(describeError(err));
      return null;
    }
  };

  useEffect(() => {
    void load().then((msgs) => {
      if (!msgs?.length) return;
      const last = msgs[msgs.length - 1]!;
      setOpen(new Set([last.id, ...msgs.filter((m) => m.unread).map((m) => m.id)]));
      const unread = msgs.filter((m) => m.unread).map((m) => m.id);
      if (unread.length) void mailActions(app, toast, () => undefined).markRead(unread, true, true);
    });
  }, [threadId]);

  useEffect(() => {
    for (const id of open) {
      if (details[id]) continue;
      void get<MessageDetail>(`/v1/messages/${encodeURIComponent(id)}`).then(
        (d) => setDetails((cur) => ({ ...cur, [id]: d })),
        (err) => setError(describeError(err)),
      );
    }
  }, [open]);

  const here = messages ?? [];
  const targets = here.map((m) => ({ id: m.id, mailboxId: m.mailboxId }));
  const inbox = mailboxBySpecial(app.mailboxes, '\\Inbox');
  const leave = () => navigate(backHref);
  // Moves leave the conversation; flag changes stay and reload it.
  const actions = mailActions(app, toast, leave);
  const flags = mailActions(app, toast, () => void load());
  const archiveTargets = inbox && targets.some((t) => t.mailboxId === inbox.id) ? targets.filter((t) => t.mailboxId === inbox.id) : targets;
  const last = here[here.length - 1];
  const lastDetail = last ? details[last.id] : undefined;
  const isJunk = box?.specialUse === '\\Junk' || (here.length > 0 && here.every((m) => m.mailboxId === mailboxBySpecial(app.mailboxes, '\\Junk')?.id));
  const isTrash = box?.specialUse === '\\Trash';

  const reply = (d: MessageDetail | undefined, mode: ReplyMode) => {
    if (d) app.openCompose(replyInit(d, mode, app.session.profile.address, app.prefs?.signature ?? ''));
  };
  const focusMessage = (delta: number) => {
    const heads = articles.current?.querySelectorAll<HTMLElement>('.message-head') ?? [];
    if (!heads.length) return;
    focusIdx.current = Math.max(0, Math.min(heads.length - 1, (focusIdx.current < 0 ? heads.length - 1 : focusIdx.current) + delta));
    heads[focusIdx.current]!.focus();
  };

  useShortcuts({
    u: leave,
    e: () => actions.archive(archiveTargets),
    '#': () => (isTrash ? void actions.deleteForever(here.map((m) => m.id)) : actions.trash(targets)),
    '!': () => (isJunk ? actions.notSpam(targets) : actions.spam(targets)),
    s: () => last && void flags.star([last.id], !last.starred),
    U: () => void actions.markRead(here.map((m) => m.id), false),
    r: () => reply(lastDetail, 'reply'),
    a: () => reply(lastDetail, 'replyAll'),
    f: () => reply(lastDetail, 'forward'),
    j: () => focusMessage(1),
    k: () => focusMessage(-1),
    n: () => focusMessage(1),
    p: () => focusMessage(-1),
  });

  const subject = here[0]?.subject || '(no subject)';
  return (
    <article class="thread-view" aria-labelledby="thread-title">
      <div class="toolbar" role="toolbar" aria-label="Conversation actions">
        <button type="button" class="icon-button" onClick={leave} aria-label={`Back to ${box ? mailboxName(box) : 'search results'}`} title="Back (u)">
          <Icon name="back" />
        </button>
        {box?.specialUse !== '\\Archive' && !isTrash && (
          <button type="button" onClick={() => actions.archive(archiveTargets)} title="Archive (e)">
            Archive
          </button>
        )}
        <button type="button" onClick={() => (isJunk ? actions.notSpam(targets) : actions.spam(targets))} title={isJunk ? 'Not spam' : 'Report spam (!)'}>
          {isJunk ? 'Not spam' : 'Spam'}
        </button>
        <button type="button" onClick={() => (isTrash ? void actions.deleteForever(here.map((m) => m.id)) : actions.trash(targets))} title={isTrash ? 'Delete forever' : 'Delete (#)'}>
          {isTrash ? 'Delete forever' : 'Delete'}
        </button>
        <button type="button" onClick={() => void actions.markRead(here.map((m) => m.id), false).then(leave)} title="Mark as unread (Shift+U)">
          Mark unread
        </button>
        <form
          class="move-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (moveTarget) actions.moveTo(targets, moveTarget);
          }}
        >
          <label for="move-target" class="visually-hidden">
            Move to
          </label>
          <select id="move-target" value={moveTarget} onChange={(e) => setMoveTarget(e.currentTarget.value)}>
            <option value="">Move to…</option>
            {app.mailboxes
              .filter((b) => b.id !== box?.id)
              .map((b) => (
                <option key={b.id} value={b.id}>
                  {mailboxName(b)}
                </option>
              ))}
          </select>
          <button type="submit" disabled={!moveTarget}>
            Move
          </button>
        </form>
      </div>
      <div id="thread-title">
        <PageHeading title={subject} />
      </div>
      <ErrorText error={error} />
      {!messages && !error && (
        <p class="muted" role="status">
          Loading…
        </p>
      )}
      <div ref={articles} class="messages">
        {here.map((m) => {
          const d = details[m.id];
          const expanded = open.has(m.id);
          const from = parseAddresses(m.from)[0];
          return (
            <section key={m.id} class={`message${expanded ? ' expanded' : ''}`} aria-label={`From ${from ? displayName(from) : m.from}, ${longDate(m.date ?? m.internalDate)}`}>
              <button
                type="button"
                class="message-head"
                aria-expanded={expanded}
                onClick={() => {
                  const next = new Set(open);
                  if (expanded) next.delete(m.id);
                  else next.add(m.id);
                  setOpen(next);
                }}
              >
                <span class="from">{from ? displayName(from) : m.from}</span>
                {!expanded && <span class="snippet">{m.snippet}</span>}
                <time dateTime={m.date ?? m.internalDate}>{shortDate(m.date ?? m.internalDate)}</time>
              </button>
              {expanded && (
                <div class="message-main">
                  {d ? (
                    <>
                      <dl class="headers">
                        <dt>From</dt>
                        <dd>{d.headers.from}</dd>
                        <dt>To</dt>
                        <dd>{d.headers.to || '(undisclosed)'}</dd>
                        {d.headers.cc && (
                          <>
                            <dt>Cc</dt>
                            <dd>{d.headers.cc}</dd>
                          </>
                        )}
                        <dt>Date</dt>
                        <dd>{longDate(d.headers.date ?? d.internalDate)}</dd>
                      </dl>
                      <MessageBody message={d} />
                      <div class="message-actions">
                        <button type="button" onClick={() => reply(d, 'reply')}>
                          Reply
                        </button>
                        <button type="button" onClick={() => reply(d, 'replyAll')}>
                          Reply all
                        </button>
                        <button type="button" onClick={() => reply(d, 'forward')}>
                          Forward
                        </button>
                        <button type="button" aria-pressed={m.starred} onClick={() => void flags.star([m.id], !m.starred)}>
                          {m.starred ? 'Unstar' : 'Star'}
                        </button>
                      </div>
                    </>
                  ) : (
                    <p class="muted" role="status">
                      Loading message…
                    </p>
                  )}
                </div>
              )}
            </section>
          );
        })}
      </div>
    </article>
  );
}
