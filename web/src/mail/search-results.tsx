import { useEffect, useState } from 'preact/hooks';
import { describeError, get } from '../api/client.js';
import type { Conversation, MessageSummary, Page } from '../api/types.js';
import { ErrorText, PageHeading } from '../components/page.js';
import { useToast } from '../components/toast.js';
import { navigate, useLocation } from '../router.js';
import { useShortcuts } from '../shortcuts.js';
import { useApp } from '../state.js';
import { mailActions } from './actions.js';
import { ConversationRow } from './conversation-row.js';
import { Pager, useActiveRow, useCursorPages } from './list-navigation.js';

/** Search hits (newest first) folded into conversations within the page, as Gmail shows them. */
function byConversation(items: MessageSummary[]): Conversation[] {
  const out = new Map<string, Conversation>();
  for (const m of items) {
    const key = m.threadId || `m:${m.id}`;
    const c = out.get(key);
    if (c) {
      c.count++;
      c.unreadCount += m.unread ? 1 : 0;
      c.starred ||= m.starred;
      c.hasAttachments ||= m.hasAttachments;
      c.messageIds.push(m.id);
      continue;
    }
    out.set(key, { threadId: key, count: 1, unreadCount: m.unread ? 1 : 0, starred: m.starred, hasAttachments: m.hasAttachments, participants: [m.from.replace(/\s*<[^>]*>/, '') || m.from], latest: m, messageIds: [m.id] });
  }
  return [...out.values()];
}

/** `/search?q=...`: the Gmail operators (from:, has:attachment, in:, is:unread, before:, ...) go to the server as typed. */
export function SearchResults() {
  const app = useApp();
  const toast = useToast();
  const loc = useLocation();
  const q = loc.query.get('q') ?? '';
  const pages = useCursorPages();
  const { cursor } = pages;
  const [page, setPage] = useState<Page<MessageSummary> | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    try {
      const params = new URLSearchParams({ q, limit: '50' });
      if (cursor) params.set('cursor', cursor);
      setPage(await get<Page<MessageSummary>>(`/v1/search?${params}`));
      setError(null);
    } catch (err) {
      setPage({ items: [], nextCursor: null });
      setError(describeError(err));
    }
  };
  useEffect(() => pages.reset(), [q]);
  useEffect(() => {
    setPage(null);
    void load();
  }, [q, cursor]);

  const rows = byConversation(page?.items ?? []);
  const actions = mailActions(app, toast, () => void load());
  const href = (c: Conversation) => `/search/${encodeURIComponent(c.threadId)}?${new URLSearchParams({ q })}`;
  const { active, setActive, list, next, previous } = useActiveRow(rows.length);
  useShortcuts({
    j: next,
    k: previous,
    o: () => rows[active] && navigate(href(rows[active]!)),
    s: () => rows[active] && void actions.star(rows[active]!.messageIds, !rows[active]!.starred),
  });

  return (
    <section class="list-view">
      <div class="view-header">
        <PageHeading title={`Search: ${q}`}>
          Results for <q>{q}</q>
        </PageHeading>
        <Pager pages={pages} nextCursor={page?.nextCursor} />
      </div>
      <ErrorText error={error} />
      {!page && (
        <p class="muted" role="status">
          Searching…
        </p>
      )}
      {page && !error && (
        <p class="muted" role="status">
          {rows.length === 0 ? 'No messages matched.' : `${page.items.length}${page.nextCursor ? '+' : ''} message${page.items.length === 1 ? '' : 's'} found.`}
        </p>
      )}
      <ul class="conversations" ref={list}>
        {rows.map((c, i) => (
          <ConversationRow key={c.threadId} c={c} who={c.participants.join(', ')} href={href(c)} active={i === active} onFocus={() => setActive(i)} onStar={() => void actions.star(c.messageIds, !c.starred)} />
        ))}
      </ul>
    </section>
  );
}
