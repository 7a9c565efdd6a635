/**
 * LIST (RFC 3501 6.3.8, RFC 9051 6.3.9) with LIST-EXTENDED (RFC 5258), LIST-STATUS (RFC 5819),
 * SPECIAL-USE (RFC 6154) and CHILDREN (RFC 3348); LSUB (RFC 3501 6.3.9).
 */
import { MAILBOX_DELIMITER, type Mailbox } from '../../domain/index.js';
import { decodeMailboxName } from '../protocol/mailbox-name.js';
import { atom, type ImapValue } from '../protocol/values.js';
import type { CommandSpec } from '../session/command-spec.js';
import type { Session } from '../session/session.js';
import { ListPattern } from './list-pattern.js';
import { userIdOf } from './mailbox-names.js';
import { sendStatus } from './status-items.js';
import { AUTHENTICATED } from './states.js';

function ancestors(path: string): string[] {
  const out: string[] = [];
  let i = path.indexOf(MAILBOX_DELIMITER);
  while (i > 0) {
    out.push(path.slice(0, i));
    i = path.indexOf(MAILBOX_DELIMITER, i + 1);
  }
  return out;
}

/** A pattern or reference as text; one that is not valid modified UTF-7 is taken literally (it then matches no stored name). */
function patternText(session: Session, raw: Buffer): string {
  return decodeMailboxName(raw, session.utf8) ?? raw.toString('latin1');
}

/** RFC 3501 6.3.8: the reference is prefixed to the pattern (one delimiter between them). */
function fullPattern(reference: string, pattern: string): string {
  if (!reference) return pattern;
  if (reference.endsWith(MAILBOX_DELIMITER) && pattern.startsWith(MAILBOX_DELIMITER)) return reference + pattern.slice(1);
  return reference + pattern;
}

interface Entry {
  path: string;
  box: Mailbox | null;
  attrs: string[];
  extra?: ImapValue[];
}

export const list: CommandSpec<'LIST'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    const reference = patternText(session, cmd.reference);
    const patterns = cmd.patterns.map((p) => patternText(session, p));
    // RFC 3501 6.3.8: LIST "" "" asks for the delimiter and the root.
    if (!cmd.extended && patterns.length === 1 && patterns[0] === '') {
      const root = reference.includes(MAILBOX_DELIMITER) ? reference.slice(0, reference.indexOf(MAILBOX_DELIMITER) + 1) : '';
      await session.untagged(atom('LIST'), [atom('\\Noselect')], MAILBOX_DELIMITER, root);
      return;
    }
    const matchers = patterns.map((p) => new ListPattern(fullPattern(reference, p)));
    const matches = (path: string): boolean => matchers.some((m) => m.matches(path));
    const userId = userIdOf(session);
    const sel = cmd.selection;
    const subscribedOnly = sel.has('SUBSCRIBED');
    const recursive = sel.has('RECURSIVEMATCH');
    const wantSubscribed = subscribedOnly || cmd.returns.subscribed;
    const boxes = await deps.mail.listMailboxes(userId);
    const subs = wantSubscribed ? new Set(await deps.mail.listSubscriptions(userId)) : new Set<string>();
    const byPath = new Map(boxes.map((b) => [b.path, b]));
    // Every level that has something below it, and the levels only implied by a child.
    const parents = new Set<string>();
    for (const b of boxes) for (const a of ancestors(b.path)) parents.add(a);

    const attrsOf = (path: string, box: Mailbox | null): string[] => {
      const attrs: string[] = [];
      if (!box) attrs.push(cmd.extended ? '\\NonExistent' : '\\Noselect');
      attrs.push(parents.has(path) ? '\\HasChildren' : '\\HasNoChildren');
      if (box?.specialUse && box.specialUse !== '\\Inbox') attrs.push(box.specialUse);
      if (wantSubscribed && subs.has(path)) attrs.push('\\Subscribed');
      return attrs;
    };

    const entries: Entry[] = [];
    if (subscribedOnly) {
      // RFC 5258 4 (RECURSIVEMATCH): a matching mailbox with a subscribed descendant the
      // patterns do not match is listed with CHILDINFO ("SUBSCRIBED").
      const childInfo = new Set<string>();
      if (recursive) for (const n of subs) if (!matches(n)) for (const a of ancestors(n)) if (matches(a)) childInfo.add(a);
      const all = [...new Set([...subs, ...childInfo])].sort();
      for (const path of all) {
        const box = byPath.get(path) ?? null;
        const listed = subs.has(path) && matches(path);
        if (!listed && !childInfo.has(path)) continue;
        if (sel.has('SPECIAL-USE') && !box?.specialUse) continue;
        entries.push({ path, box, attrs: attrsOf(path, box), ...(childInfo.has(path) ? { extra: ['CHILDINFO', ['SUBSCRIBED']] } : {}) });
      }
    } else {
      const seen = new Set<string>();
      for (const b of boxes) {
        if (matches(b.path)) {
          if (sel.has('SPECIAL-USE') && (!b.specialUse || b.specialUse === '\\Inbox')) continue;
          entries.push({ path: b.path, box: b, attrs: attrsOf(b.path, b) });
          seen.add(b.path);
        }
      }
      // Levels with children but no mailbox of their own (RFC 3501 6.3.8 \Noselect, RFC 5258 \NonExistent).
      if (!sel.has('SPECIAL-USE')) {
        for (const p of parents) if (!byPath.has(p) && !seen.has(p) && matches(p)) entries.push({ path: p, box: null, attrs: attrsOf(p, null) });
      }
      entries.sort((a, b) => (a.path === 'INBOX' ? -1 : b.path === 'INBOX' ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    }

    for (const e of entries) {
      const line: ImapValue[] = [atom('LIST'), e.attrs.map((a) => atom(a)), MAILBOX_DELIMITER, session.wireName(e.path)];
      if (e.extra) line.push(e.extra);
      const p = session.untagged(...line);
      if (p) await p;
      // LIST-STATUS (RFC 5819): a STATUS after each selectable mailbox's LIST.
      if (cmd.returns.status && e.box) {
        try {
          await sendStatus(session, deps, e.box, cmd.returns.status);
        } catch {
          // A mailbox deleted meanwhile just has no STATUS line.
        }
      }
    }
  },
};

/** LSUB (RFC 3501 6.3.9): subscriptions; a `%` match of an unsubscribed parent is listed \Noselect. */
export const lsub: CommandSpec<'LSUB'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    const matcher = new ListPattern(fullPattern(patternText(session, cmd.reference), patternText(session, cmd.pattern)));
    const userId = userIdOf(session);
    const subs = new Set(await deps.mail.listSubscriptions(userId));
    const boxes = new Map((await deps.mail.listMailboxes(userId)).map((b) => [b.path, b]));
    const out = new Map<string, string[]>();
    for (const name of subs) {
      if (matcher.matches(name)) {
        const box = boxes.get(name);
        out.set(name, box?.specialUse && box.specialUse !== '\\Inbox' ? [box.specialUse] : []);
      } else {
        for (const a of ancestors(name)) if (!subs.has(a) && !out.has(a) && matcher.matches(a)) out.set(a, ['\\Noselect']);
      }
    }
    for (const [name, attrs] of [...out].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const p = session.untagged(atom('LSUB'), attrs.map((a) => atom(a)), MAILBOX_DELIMITER, session.wireName(name));
      if (p) await p;
    }
  },
};
