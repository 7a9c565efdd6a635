/**
 * A parsed IMAP search program -> the store's SearchQuery (domain/search.ts). Sequence sets,
 * `$` and \Recent depend on the session and are resolved here to UIDs; text keys are IMAP's
 * case-insensitive substring match (RFC 3501 6.4.4); X-GM-RAW goes through the same Gmail
 * operator parser as the API (mail/gmail-query).
 */
import type { Mailbox, SearchQuery } from '../../domain/index.js';
import { GmailQueryError, mailboxResolver, parseGmailQuery } from '../../mail/gmail-query/index.js';
import type { SearchKey } from '../protocol/search-keys.js';
import { ImapBad } from '../session/imap-error.js';
import type { SelectedMailbox } from '../session/selected-mailbox.js';
import { resolveSet } from './message-set.js';

export interface QueryContext {
  sel: SelectedMailbox;
  /** The user's mailboxes, for X-GM-RAW's in:/label: (loaded only when needed). */
  mailboxes: () => Promise<Mailbox[]>;
  now: Date;
}

export interface ImapQuery {
  query: SearchQuery;
  /** The program used MODSEQ: answers carry the highest MODSEQ (RFC 7162 3.1.5). */
  usesModseq: boolean;
}

const NOTHING: SearchQuery = { type: 'not', node: { type: 'all' } };

function uidsQuery(sel: SelectedMailbox, uids: number[]): SearchQuery {
  if (uids.length === sel.view.size) return { type: 'all' };
  return uids.length ? { type: 'uid', uids } : NOTHING;
}

export async function toSearchQuery(key: SearchKey, ctx: QueryContext): Promise<ImapQuery> {
  let usesModseq = false;
  let boxes: Mailbox[] | null = null;
  const convert = async (k: SearchKey): Promise<SearchQuery> => {
    switch (k.type) {
      case 'all':
      case 'savedatesupported':
        return { type: 'all' };
      case 'and':
        return { type: 'and', nodes: await Promise.all(k.keys.map(convert)) };
      case 'or':
        return { type: 'or', nodes: [await convert(k.keys[0]), await convert(k.keys[1])] };
      case 'not':
        return { type: 'not', node: await convert(k.key) };
      case 'flag':
        return { type: 'flag', flag: k.flag, present: k.set };
      case 'recent': {
        const recent = ctx.sel.recentUids();
        const q: SearchQuery = recent.length ? { type: 'uid', uids: recent } : NOTHING;
        return k.set ? q : { type: 'not', node: q };
      }
      case 'text':
        return { type: 'text', field: k.field, value: k.value, match: 'substring' };
      case 'header':
        return { type: 'header', name: k.name.toLowerCase(), value: k.value };
      case 'date':
        return { type: 'date', field: k.field, op: k.op, day: k.day };
      case 'size':
        return { type: 'size', op: k.op, value: k.value };
      case 'seq':
        return uidsQuery(ctx.sel, resolveSet(ctx.sel, k.set, false));
      case 'uid':
        return uidsQuery(ctx.sel, resolveSet(ctx.sel, k.set, true));
      case 'modseq':
        usesModseq = true;
        return { type: 'modseq', min: k.min };
      case 'older':
        return { type: 'time', op: 'before', at: new Date(ctx.now.getTime() - k.seconds * 1000) };
      case 'younger':
        return { type: 'time', op: 'since', at: new Date(ctx.now.getTime() - k.seconds * 1000) };
      case 'emailid':
      case 'x-gm-msgid':
        return { type: 'emailId', value: k.id };
      case 'threadid':
      case 'x-gm-thrid':
        return { type: 'threadId', value: k.id };
      case 'x-gm-raw': {
        boxes ??= await ctx.mailboxes();
        try {
          return parseGmailQuery(k.query, { now: ctx.now, resolveMailbox: mailboxResolver(boxes) }).query;
        } catch (err) {
          if (err instanceof GmailQueryError) throw new ImapBad(`X-GM-RAW: ${err.message}`);
          throw err;
        }
      }
    }
  };
  const query = await convert(key);
  return { query, usesModseq };
}
