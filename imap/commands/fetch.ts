/**
 * FETCH / UID FETCH (RFC 3501 6.4.5, RFC 9051 6.4.5) with CONDSTORE CHANGEDSINCE and QRESYNC
 * VANISHED (RFC 7162 3.1.4, 3.2.6), BINARY (RFC 3516), OBJECTID (RFC 8474), SAVEDATE (RFC 8514),
 * PREVIEW (RFC 8970) and X-GM-MSGID/X-GM-THRID.
 *
 * One pass over the messages in UID order, reading only the columns the items need; answers
 * are written as they are built (batched by the writer), bodies streamed with the socket's
 * backpressure. Reading a body without .PEEK sets \Seen first, for all messages at once, so the
 * FLAGS in the same answers already show it (RFC 3501 6.4.5).
 */
import type { MessageField, MessageRecord } from '../../domain/index.js';
import { binarySectionLiteral, binarySize, bodySectionLiteral, bodyStructureValue, envelopeValue } from '../mime/index.js';
import { formatDateTime } from '../protocol/dates.js';
import { Encoder } from '../protocol/encoder.js';
import type { FetchItem } from '../protocol/fetch-items.js';
import { formatSequenceSet, inRanges, normalizeRanges } from '../protocol/sequence-set.js';
import { atom, type ImapValue } from '../protocol/values.js';
import type { CommandSpec } from '../session/command-spec.js';
import type { ImapDeps } from '../session/deps.js';
import { ImapBad, ImapCodes, ImapNo } from '../session/imap-error.js';
import type { Session } from '../session/session.js';
import { fetchFlags, flagsOnly } from './fetch-flags.js';
import { readMessages, resolveSet } from './message-set.js';
import { SELECTED } from './states.js';

/** Items that read the message body and set \Seen unless .PEEK. */
function setsSeen(item: FetchItem): boolean {
  if (item.type === 'body' || item.type === 'binary') return !item.peek;
  return item.type === 'simple' && (item.name === 'RFC822' || item.name === 'RFC822.TEXT');
}

function fieldsFor(items: readonly FetchItem[]): MessageField[] {
  const fields = new Set<MessageField>();
  for (const it of items) {
    if (it.type === 'simple') {
      if (it.name === 'ENVELOPE') fields.add('envelope');
      else if (it.name === 'BODYSTRUCTURE' || it.name === 'BODY') fields.add('structure');
      else if (it.name === 'RFC822' || it.name === 'RFC822.HEADER' || it.name === 'RFC822.TEXT') {
        fields.add('structure');
        fields.add('content');
      }
    } else if (it.type === 'preview') {
      fields.add('snippet');
    } else {
      fields.add('structure');
      fields.add('content');
    }
  }
  return [...fields];
}

/** Appends ` NAME value` pairs for one message. */
async function itemValues(session: Session, deps: ImapDeps, rec: MessageRecord, items: readonly FetchItem[], out: ImapValue[]): Promise<void> {
  const msg = rec.structure && rec.content ? { structure: rec.structure, content: rec.content, blobs: deps.blobs } : null;
  for (const it of items) {
    if (it.type === 'simple') {
      switch (it.name) {
        case 'UID':
          out.push(atom('UID'), rec.uid);
          break;
        case 'FLAGS':
          session.announceKeywords(rec.flags);
          out.push(atom('FLAGS'), session.flagAtoms(rec.uid, rec.flags));
          break;
        case 'INTERNALDATE':
          out.push(atom('INTERNALDATE'), formatDateTime(rec.internalDate));
          break;
        case 'RFC822.SIZE':
          out.push(atom('RFC822.SIZE'), rec.size);
          break;
        case 'ENVELOPE':
          out.push(atom('ENVELOPE'), rec.envelope ? envelopeValue(rec.envelope) : null);
          break;
        case 'BODYSTRUCTURE':
        case 'BODY':
          out.push(atom(it.name), rec.structure ? bodyStructureValue(rec.structure, { extensible: it.name === 'BODYSTRUCTURE' }) : null);
          break;
        case 'RFC822':
          out.push(atom('RFC822'), msg ? await bodySectionLiteral(msg, { part: [] }) : '');
          break;
        case 'RFC822.HEADER':
          out.push(atom('RFC822.HEADER'), msg ? await bodySectionLiteral(msg, { part: [], text: 'HEADER' }) : '');
          break;
        case 'RFC822.TEXT':
          out.push(atom('RFC822.TEXT'), msg ? await bodySectionLiteral(msg, { part: [], text: 'TEXT' }) : '');
          break;
        case 'MODSEQ':
          out.push(atom('MODSEQ'), [rec.modseq]);
          break;
        case 'X-GM-MSGID':
          out.push(atom('X-GM-MSGID'), atom(rec.emailId));
          break;
        case 'X-GM-THRID':
          out.push(atom('X-GM-THRID'), atom(rec.threadId));
          break;
        case 'X-GM-LABELS':
          out.push(atom('X-GM-LABELS'), []);
          break;
        case 'EMAILID':
          out.push(atom('EMAILID'), [atom(rec.emailId)]);
          break;
        case 'THREADID':
          out.push(atom('THREADID'), rec.threadId ? [atom(rec.threadId)] : null);
          break;
        case 'SAVEDATE':
          out.push(atom('SAVEDATE'), rec.savedAt ? formatDateTime(rec.savedAt) : null);
          break;
      }
    } else if (it.type === 'body') {
      out.push(atom(it.label), msg ? await bodySectionLiteral(msg, it.section, it.partial) : '');
    } else if (it.type === 'binary') {
      if (!msg) {
        out.push(atom(it.label), '');
        continue;
      }
      const lit = await binarySectionLiteral(msg, it.part, it.partial);
      if ('error' in lit) throw new ImapNo(ImapCodes.unknownCte, 'Unknown Content-Transfer-Encoding');
      out.push(atom(it.label), lit);
    } else if (it.type === 'binary.size') {
      if (!msg) {
        out.push(atom(it.label), 0);
        continue;
      }
      const size = await binarySize(msg, it.part);
      if (typeof size !== 'number') throw new ImapNo(ImapCodes.unknownCte, 'Unknown Content-Transfer-Encoding');
      out.push(atom(it.label), size);
    } else if (it.type === 'preview') {
      // RFC 8970: the text a list view shows, computed once at delivery (PreparedMessage.snippet).
      out.push(atom('PREVIEW'), rec.snippet ?? null);
    }
  }
}

/** Items whose answer is plain text (no strings to quote, no literals): built without value objects. */
const TEXT_ITEMS = new Set(['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'MODSEQ', 'X-GM-MSGID', 'X-GM-THRID', 'EMAILID', 'THREADID', 'SAVEDATE']);

/** The answer of a metadata-only FETCH for one message, as text (FETCH 1:* FLAGS of a big mailbox). */
function textValues(session: Session, rec: MessageRecord, items: readonly FetchItem[]): string {
  const out: string[] = [];
  for (const it of items) {
    if (it.type !== 'simple') continue;
    switch (it.name) {
      case 'UID':
        out.push(`UID ${rec.uid}`);
        break;
      case 'FLAGS': {
        session.announceKeywords(rec.flags);
        let flags = rec.flags.join(' ');
        if (!session.rev2 && session.selected?.isRecent(rec.uid)) flags = flags ? `${flags} \\Recent` : '\\Recent';
        out.push(`FLAGS (${flags})`);
        break;
      }
      case 'INTERNALDATE':
        out.push(`INTERNALDATE "${formatDateTime(rec.internalDate)}"`);
        break;
      case 'RFC822.SIZE':
        out.push(`RFC822.SIZE ${rec.size}`);
        break;
      case 'MODSEQ':
        out.push(`MODSEQ (${rec.modseq})`);
        break;
      case 'X-GM-MSGID':
        out.push(`X-GM-MSGID ${rec.emailId}`);
        break;
      case 'X-GM-THRID':
        out.push(`X-GM-THRID ${rec.threadId}`);
        break;
      case 'EMAILID':
        out.push(`EMAILID (${rec.emailId})`);
        break;
      case 'THREADID':
        out.push(rec.threadId ? `THREADID (${rec.threadId})` : 'THREADID NIL');
        break;
      case 'SAVEDATE':
        out.push(rec.savedAt ? `SAVEDATE "${formatDateTime(rec.savedAt)}"` : 'SAVEDATE NIL');
        break;
    }
  }
  return out.join(' ');
}

/** RFC 7162 3.2.6: UIDs in the requested ranges expunged since CHANGEDSINCE. */
async function sendVanished(session: Session, deps: ImapDeps, ranges: Array<[number, number]>, since: number): Promise<void> {
  const sel = session.selected!;
  const status = await deps.mail.getMailboxStatus(sel.id);
  // `*` here is the largest UID ever given, so expunged UIDs above the view are covered too.
  const merged = normalizeRanges(ranges, Math.max(sel.view.maxUid, status.uidNext - 1, 1));
  const gone: number[] = [];
  for (const ev of await deps.mail.getChanges(sel.id, since)) if (ev.type === 'expunge' && !sel.view.has(ev.uid) && inRanges(merged, ev.uid)) gone.push(ev.uid);
  if (gone.length) {
    gone.sort((a, b) => a - b);
    session.writeRaw(`* VANISHED (EARLIER) ${formatSequenceSet([...new Set(gone)])}\r\n`);
  }
}

export const fetch: CommandSpec<'FETCH'> = {
  states: SELECTED,
  expungeAllowed: (cmd) => cmd.uid,
  async run(session, cmd, deps) {
    const sel = session.selected!;
    let items = cmd.items;
    if (cmd.vanished && (!cmd.uid || !session.qresync || cmd.changedSince === null)) throw new ImapBad('VANISHED needs UID FETCH, QRESYNC and CHANGEDSINCE');
    const has = (name: string): boolean => items.some((i) => i.type === 'simple' && i.name === name);
    // RFC 3501 6.4.8: UID FETCH answers always carry the UID; CHANGEDSINCE implies MODSEQ (RFC 7162 3.1.4.1).
    if (cmd.uid && !has('UID')) items = [{ type: 'simple', name: 'UID' }, ...items];
    if (cmd.changedSince !== null && !has('MODSEQ')) items = [...items, { type: 'simple', name: 'MODSEQ' }];
    if (has('MODSEQ') || cmd.changedSince !== null) session.enableCondstore();
    if (cmd.vanished && !cmd.set.saved) await sendVanished(session, deps, cmd.set.ranges, cmd.changedSince!);
    const uids = resolveSet(sel, cmd.set, cmd.uid);
    if (!uids.length) return;

    const seenNow = new Set<number>();
    if (!sel.readOnly && items.some(setsSeen)) {
      const res = await deps.mail.updateFlags(sel.id, uids, { action: 'add', flags: ['\\Seen'] });
      for (const u of res.updated) {
        sel.noteOwnFlags(u.uid, u.modseq);
        seenNow.add(u.uid);
      }
    }
    const withFlags: FetchItem[] = has('FLAGS') ? items : [...items, { type: 'simple', name: 'FLAGS' }];
    const fields = fieldsFor(items);
    const textOnly = withFlags.every((i) => i.type === 'simple' && TEXT_ITEMS.has(i.name));
    let found = 0;
    if (flagsOnly(withFlags)) {
      found = await fetchFlags(session, deps, uids, items, withFlags, seenNow, cmd.changedSince);
      if (found < 0) return;
    } else for await (const rec of readMessages(deps.mail, sel.id, uids, { fields, ...(cmd.changedSince !== null ? { changedSince: cmd.changedSince } : {}) })) {
      const seq = sel.view.seqOf(rec.uid);
      if (!seq) continue;
      found++;
      const its = seenNow.has(rec.uid) ? withFlags : items;
      let p: Promise<void> | undefined;
      if (textOnly) {
        p = session.send([`* ${seq} FETCH (${textValues(session, rec, its)})\r\n`]);
      } else {
        const values: ImapValue[] = [];
        await itemValues(session, deps, rec, its, values);
        p = session.send(new Encoder({ utf8: session.utf8 }).raw(`* ${seq} FETCH `).value(values).finish());
      }
      if (p) await p;
      if (session.closed) return;
    }
    if (cmd.changedSince === null && found < uids.length) {
      // Messages expunged by another session and not yet announced (RFC 2180 4.1.2, RFC 5530).
      throw new ImapNo(ImapCodes.expungeIssued, 'Some of the requested messages no longer exist');
    }
  },
};
