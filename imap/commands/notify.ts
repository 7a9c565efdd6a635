/**
 * NOTIFY (RFC 5465): the client names mailboxes and events; the server tells it of them as they
 * happen, without IDLE. Other mailboxes' message events become STATUS responses, mailbox
 * creation, renaming and deletion become LIST responses; the selected mailbox's changes are
 * pushed at once instead of waiting for the next command.
 */
import type { ChangeEvent, Mailbox } from '../../domain/index.js';
import { MAILBOX_DELIMITER } from '../../domain/index.js';
import type { NotifyGroup } from '../protocol/commands.js';
import type { StatusItem } from '../protocol/commands.js';
import { atom } from '../protocol/values.js';
import type { CommandSpec } from '../session/command-spec.js';
import type { ImapDeps } from '../session/deps.js';
import { ImapBad } from '../session/imap-error.js';
import type { Session } from '../session/session.js';
import { userIdOf } from './mailbox-names.js';
import { sendStatus } from './status-items.js';
import { AUTHENTICATED } from './states.js';

interface Filter {
  kind: NotifyGroup['mailboxes']['kind'];
  names: string[];
  events: Set<string>;
}

/** Does a mailbox fall under a group's filter (RFC 5465 6)? `subs`: subscribed names. */
function covers(f: Filter, box: Mailbox, subs: Set<string>): boolean {
  switch (f.kind) {
    case 'selected':
    case 'selected-delayed':
      return false;
    case 'inboxes':
      return box.path === 'INBOX' || box.specialUse === '\\Inbox';
    case 'personal':
      return true;
    case 'subscribed':
      return subs.has(box.path);
    case 'mailboxes':
      return f.names.includes(box.path);
    case 'subtree':
      return f.names.some((n) => box.path === n || box.path.startsWith(n + MAILBOX_DELIMITER));
  }
}

/** STATUS items that describe each event (RFC 5465 5.2-5.4). */
function statusItems(events: Set<string>): StatusItem[] {
  const items = new Set<StatusItem>();
  if (events.has('MESSAGENEW')) for (const i of ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY'] as const) items.add(i);
  if (events.has('MESSAGEEXPUNGE')) items.add('MESSAGES');
  if (events.has('FLAGCHANGE')) for (const i of ['UIDVALIDITY', 'HIGHESTMODSEQ'] as const) items.add(i);
  const order: StatusItem[] = ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY', 'HIGHESTMODSEQ'];
  return order.filter((i) => items.has(i));
}

const EVENT_OF: Record<Exclude<ChangeEvent['type'], 'mailbox'>, string> = { exists: 'MESSAGENEW', expunge: 'MESSAGEEXPUNGE', flags: 'FLAGCHANGE' };

class Notifications {
  private boxes = new Map<string, Mailbox>();

  constructor(
    private readonly session: Session,
    private readonly deps: ImapDeps,
    private readonly filters: Filter[],
  ) {}

  private async mailbox(id: string): Promise<Mailbox | null> {
    let box = this.boxes.get(id) ?? null;
    if (!box) {
      box = await this.deps.mail.getMailboxById(userIdOf(this.session), id);
      if (box) this.boxes.set(id, box);
    }
    return box;
  }

  private async subs(): Promise<Set<string>> {
    return this.filters.some((f) => f.kind === 'subscribed') ? new Set(await this.deps.mail.listSubscriptions(userIdOf(this.session))) : new Set();
  }

  /** The events asked for this mailbox, or null when none covers it. */
  eventsFor(box: Mailbox, subs: Set<string>): Set<string> | null {
    const out = new Set<string>();
    for (const f of this.filters) if (covers(f, box, subs)) for (const e of f.events) out.add(e);
    return out.size ? out : null;
  }

  async initialStatus(): Promise<void> {
    const subs = await this.subs();
    for (const box of await this.deps.mail.listMailboxes(userIdOf(this.session))) {
      if (box.id === this.session.selected?.id) continue;
      const events = this.eventsFor(box, subs);
      const items = events ? statusItems(events) : [];
      if (items.length) await sendStatus(this.session, this.deps, box, items);
    }
  }

  async onEvent(ev: ChangeEvent): Promise<void> {
    const s = this.session;
    if (ev.type === 'mailbox') {
      this.boxes.delete(ev.mailboxId);
      const box = ev.action === 'delete' ? null : await this.mailbox(ev.mailboxId);
      const probe: Mailbox = box ?? ({ id: ev.mailboxId, path: ev.path, specialUse: null } as Mailbox);
      if (!this.eventsFor(probe, await this.subs())?.has('MAILBOXNAME')) return;
      const attrs = ev.action === 'delete' ? [atom('\\NonExistent')] : [];
      s.unsolicited(async () => {
        await s.untagged(atom('LIST'), attrs, MAILBOX_DELIMITER, s.wireName(ev.path));
      });
      return;
    }
    if (ev.mailboxId === s.selected?.id) return;
    const box = await this.mailbox(ev.mailboxId);
    if (!box) return;
    const events = this.eventsFor(box, await this.subs());
    if (!events?.has(EVENT_OF[ev.type])) return;
    const items = statusItems(new Set([EVENT_OF[ev.type]]));
    s.unsolicited(() => sendStatus(s, this.deps, box, items));
  }
}

export const notify: CommandSpec<'NOTIFY'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    if (!cmd.groups) {
      session.notify = null;
      return;
    }
    const filters: Filter[] = [];
    let selectedEvents: Set<string> | null = null;
    for (const g of cmd.groups) {
      const events = new Set(g.events);
      if (g.mailboxes.kind === 'selected' || g.mailboxes.kind === 'selected-delayed') {
        // RFC 5465 5: the selected mailbox has only message events.
        if (g.events.some((e) => e === 'MAILBOXNAME' || e === 'SUBSCRIPTIONCHANGE')) throw new ImapBad('Mailbox events are not allowed for the selected mailbox');
        selectedEvents = events;
        continue;
      }
      const names = 'names' in g.mailboxes ? g.mailboxes.names.map((n) => session.mailboxName(n)) : [];
      filters.push({ kind: g.mailboxes.kind, names, events });
    }
    const n = new Notifications(session, deps, filters);
    session.notify = { pushSelected: selectedEvents !== null && selectedEvents.size > 0, onEvent: (ev) => n.onEvent(ev) };
    if (cmd.status) await n.initialStatus();
  },
};
