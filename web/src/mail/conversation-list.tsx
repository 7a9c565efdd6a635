import { useEffect, useState } from 'preact/hooks';
import { Icon } from '../components/icon.js';
import { del, describeError, get } from '../api/client.js';
import type { Conversation, Page } from '../api/types.js';
import { ErrorText, PageHeading } from '../components/page.js';
import { useToast } from '../components/toast.js';
import { navigate } from '../router.js';
import { useShortcuts } from '../shortcuts.js';
import { mailboxName, resolveMailbox, useApp } from '../state.js';
import { mailActions, type Target } from './actions.js';
import { ConversationRow } from './conversation-row.js';
import { Pager, useActiveRow, useCursorPages } from './list-navigation.js';

const PAGE_SIZE = 50;

/**
 * One mailbox as Gmail lists it: a row per conversation (newest first), paged with Newer/Older,
 * driven by j/k/Enter/e/#/s/! as well as the mouse. Only summaries are loaded, never bodies.
 * New mail appears by itself: the store's change events refresh the first page.
 */
export function ConversationList({ mailboxId }: { mailboxId: string }) {
  const app = useApp();
  const toast = useToast();
  // `mailboxId` is an id or the inbox's name; actions need the real id once the mailboxes are known.
  const box = resolveMailbox(app.mailboxes, mailboxId);
  const realId = box?.id ?? mailboxId;
  const pages = useCursorPages();
  const { cursor } = pages;
  const [page, setPage] = useState<Page<Conversation> | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    try {
      const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (cursor) q.set('cursor', cursor);
      setPage(await get<Page<Conversation>>(`/v1/mailboxes/${encodeURIComponent(mailboxId)}/conversations?${q}`));
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  };

  useEffect(() => {
    void load();
  }, [mailboxId, cursor]);
  useEffect(
    () =>
      app.onMailChange((changed) => {
        if (changed === realId && pages.onFirstPage) void load();
      }),
    [realId, pages.onFirstPage, cursor],
  );

  const items = page?.items ?? [];
  const { active, setActive, list, next, previous } = useActiveRow(items.length);
  const isDrafts = box?.specialUse === '\\Drafts';
  const isJunk = box?.specialUse === '\\Junk';
  const isTrash = box?.specialUse === '\\Trash';
  const actions = mailActions(app, toast, () => void load());
  const targets = (c: Conversation): Target[] => c.messageIds.map((id) => ({ id, mailboxId: realId }));
  const href = (c: Conversation) => `/mail/${encodeURIComponent(mailboxId)}/${encodeURIComponent(c.threadId)}`;
  const open = (c: Conversation) => {
    if (isDrafts) app.openCompose({ draftId: c.latest.id });
    else navigate(href(c));
  };

  const at = () => items[active];
  useShortcuts({
    j: next,
    k: previous,
    o: () => at() && open(at()!),
    e: () => at() && actions.archive(targets(at()!)),
    '#': () => at() && (isTrash ? void actions.deleteForever(at()!.messageIds) : actions.trash(targets(at()!))),
    '!': () => at() && (isJunk ? actions.notSpam(targets(at()!)) : actions.spam(targets(at()!))),
    s: () => at() && void actions.star(at()!.messageIds, !at()!.starred),
    I: () => at() && void actions.markRead(at()!.messageIds, true),
    U: () => at() && void actions.markRead(at()!.messageIds, false),
  });

  const title = box ? mailboxName(box) : 'Mail';
  return (
    <section class="list-view" aria-labelledby="list-title">
      <div class="view-header">
        <div id="list-title">
          <PageHeading title={title} />
        </div>
        {box && !box.specialUse && (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              if (!window.confirm(`Delete the label ${title} and the ${box.total} message(s) in it?`)) return;
              del(`/v1/mailboxes/${encodeURIComponent(box.id)}`).then(
                async () => {
                  await app.refreshMailboxes();
                  navigate('/');
                },
                (err) => setError(describeError(err)),
              );
            }}
          >
            Delete label
          </button>
        )}
        <Pager pages={pages} nextCursor={page?.nextCursor} />
      </div>
      <ErrorText error={error} />
      {page && items.length === 0 && <p class="empty">No conversations in {title}.</p>}
      {!page && !error && (
        <p class="muted" role="status">
          Loading…
        </p>
      )}
      <ul class="conversations" ref={list}>
        {items.map((c, i) => {
          const unread = c.unreadCount > 0;
          const who = isDrafts || box?.specialUse === '\\Sent' ? `To: ${c.latest.to || '(no recipients)'}` : c.participants.join(', ');
          return (
            <ConversationRow
              key={c.threadId}
              c={c}
              who={who}
              href={isDrafts ? null : href(c)}
              onOpen={() => open(c)}
              active={i === active}
              onFocus={() => setActive(i)}
              onStar={() => void actions.star(c.messageIds, !c.starred)}
            >
              {!isDrafts && !isTrash && box?.specialUse !== '\\Archive' && (
                <button type="button" class="icon-button" aria-label="Archive" title="Archive (e)" onClick={() => actions.archive(targets(c))}>
                  <Icon name="archive" />
                </button>
              )}
              <button
                type="button"
                class="icon-button"
                aria-label={isTrash ? 'Delete forever' : 'Delete'}
                title={isTrash ? 'Delete forever' : 'Delete (#)'}
                onClick={() => (isTrash ? void actions.deleteForever(c.messageIds) : actions.trash(targets(c)))}
              >
                <Icon name="trash" />
              </button>
              <button type="button" class="icon-button" aria-label={unread ? 'Mark as read' : 'Mark as unread'} title={unread ? 'Mark as read' : 'Mark as unread'} onClick={() => void actions.markRead(c.messageIds, unread)}>
                <Icon name={unread ? 'mailOpen' : 'mail'} />
              </button>
            </ConversationRow>
          );
        })}
      </ul>
    </section>
  );
}
