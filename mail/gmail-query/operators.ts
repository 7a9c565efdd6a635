import type { SearchQuery } from '../../domain/search.js';
import { GmailQueryError } from './tokenize.js';

export interface OperatorContext {
  now: Date;
  /** Maps a Gmail mailbox name (inbox, sent, spam, trash, a label path) to a mailbox id, or null. */
  resolveMailbox(name: string): string | null;
}

/** Never matches: a mailbox that does not exist selects nothing, as in Gmail. */
const NOTHING: SearchQuery = { type: 'not', node: { type: 'all' } };

const SIZE = /^(\d{1,12})([kmg]b?|b)?$/i;
const DATE = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/;
const AGE = /^(\d{1,5})([dmy])$/i;

/** One operator:value term to its SearchQuery node. */
export function operatorQuery(op: string, value: string, ctx: OperatorContext): SearchQuery {
  const v = value.trim();
  if (!v) throw new GmailQueryError(`${op}: needs a value`);
  switch (op) {
    case 'from':
    case 'to':
    case 'cc':
    case 'bcc':
    case 'subject':
    case 'filename':
      return { type: 'text', field: op, value: v, match: 'words' };
    case 'in':
    case 'label': {
      if (v.toLowerCase() === 'anywhere') return { type: 'all' };
      const id = ctx.resolveMailbox(v);
      return id === null ? NOTHING : { type: 'mailbox', mailboxId: id };
    }
    case 'is':
      switch (v.toLowerCase()) {
        case 'unread': return { type: 'flag', flag: '\\Seen', present: false };
        case 'read': return { type: 'flag', flag: '\\Seen', present: true };
        case 'starred': return { type: 'flag', flag: '\\Flagged', present: true };
        case 'unstarred': return { type: 'flag', flag: '\\Flagged', present: false };
        case 'answered': return { type: 'flag', flag: '\\Answered', present: true };
        case 'draft': return { type: 'flag', flag: '\\Draft', present: true };
        default: throw new GmailQueryError(`unknown is:${v.slice(0, 40)}`);
      }
    case 'has':
      if (v.toLowerCase() === 'attachment') return { type: 'hasAttachment' };
      throw new GmailQueryError(`unknown has:${v.slice(0, 40)}`);
    case 'larger':
    case 'smaller':
      return { type: 'size', op, value: parseSize(v) };
    case 'before':
    case 'after':
      return { type: 'date', field: 'internal', op: op === 'before' ? 'before' : 'since', day: parseDay(v) };
    case 'older_than':
    case 'newer_than':
      return { type: 'time', op: op === 'older_than' ? 'before' : 'since', at: ago(v, ctx.now) };
    default:
      return null as never;
  }
}

export const KNOWN_OPERATORS = new Set([
  'from', 'to', 'cc', 'bcc', 'subject', 'filename', 'in', 'label', 'is', 'has',
  'larger', 'smaller', 'before', 'after', 'older_than', 'newer_than',
]);

function parseSize(v: string): number {
  const m = SIZE.exec(v);
  if (!m) throw new GmailQueryError(`bad size: ${v.slice(0, 40)}`);
  const unit = (m[2] ?? '').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Number(m[1]) * mult;
}

/** YYYY/MM/DD as the YYYYMMDD day number the store compares (domain/search.ts). */
function parseDay(v: string): number {
  const m = DATE.exec(v);
  if (!m) throw new GmailQueryError(`bad date (use YYYY/MM/DD): ${v.slice(0, 40)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) throw new GmailQueryError(`no such date: ${v}`);
  return y * 10_000 + mo * 100 + d;
}

function ago(v: string, now: Date): Date {
  const m = AGE.exec(v);
  if (!m) throw new GmailQueryError(`bad age (use 3d, 2m, 1y): ${v.slice(0, 40)}`);
  const n = Number(m[1]);
  const d = new Date(now.getTime());
  const unit = m[2]!.toLowerCase();
  if (unit === 'd') d.setUTCDate(d.getUTCDate() - n);
  else if (unit === 'm') d.setUTCMonth(d.getUTCMonth() - n);
  else d.setUTCFullYear(d.getUTCFullYear() - n);
  return d;
}
