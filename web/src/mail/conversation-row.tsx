import type { ComponentChildren } from 'preact';
import { Icon } from '../components/icon.js';
import type { Conversation } from '../api/types.js';
import { shortDate } from '../format.js';
import { Link } from '../router.js';

/**
 * One row of a list: star, then a link holding sender(s), subject, snippet and date, then the
 * row's buttons. The buttons are siblings of the link, never inside it (no nested controls).
 */
export function ConversationRow(props: {
  c: Conversation;
  who: string;
  /** A link to the conversation, or `onOpen` for rows that open something else (drafts). */
  href: string | null;
  onOpen?: () => void;
  active: boolean;
  onFocus: () => void;
  onStar: () => void;
  children?: ComponentChildren;
}) {
  const { c } = props;
  const unread = c.unreadCount > 0;
  const inner = (
    <>
      <span class="who">
        {unread && <span class="visually-hidden">Unread, </span>}
        {props.who}
        {c.count > 1 && <span class="thread-count"> {c.count}</span>}
      </span>
      <span class="what">
        <span class="subject">{c.latest.subject || '(no subject)'}</span>
        <span class="snippet"> — {c.latest.snippet}</span>
      </span>
      {c.hasAttachments && (
        <span class="clip" title="Has attachments">
          <Icon name="clip" />
          <span class="visually-hidden">, has attachments, </span>
        </span>
      )}
      <time class="when" dateTime={c.latest.date ?? c.latest.internalDate}>
        {shortDate(c.latest.date ?? c.latest.internalDate)}
      </time>
    </>
  );
  return (
    <li class={`row${unread ? ' unread' : ''}${props.active ? ' active' : ''}`}>
      <button type="button" class={`star${c.starred ? ' on' : ''}`} aria-pressed={c.starred} aria-label="Starred" title={c.starred ? 'Unstar' : 'Star'} onClick={props.onStar}>
        <Icon name="star" filled={c.starred} />
      </button>
      {props.href !== null ? (
        <Link href={props.href} class="row-link" onFocus={props.onFocus}>
          {inner}
        </Link>
      ) : (
        <button type="button" class="row-link" onFocus={props.onFocus} onClick={props.onOpen}>
          {inner}
        </button>
      )}
      {props.children && <div class="row-actions">{props.children}</div>}
    </li>
  );
}

/** Moves keyboard focus to row `i` of a list (j/k). */
export function focusRow(list: HTMLElement | null, i: number): void {
  list?.querySelectorAll<HTMLElement>('.row-link')[i]?.focus();
}
