import type { SortKeys } from '../../domain/index.js';
import { addrSpecText, parseAddressList, type ParsedAddress } from './address.js';
import { baseSubject } from './base-subject.js';
import { parseMailDate } from './date.js';
import { decodeEncodedWords } from './encoded-words.js';
import { headerValue, type HeaderField } from './header-block.js';

/**
 * SORT (RFC 5256) and SORT=DISPLAY (RFC 5957) keys. Strings are folded to upper case, which is
 * what the i;ascii-casemap comparator compares (RFC 4790 9.2), so a plain string comparison of
 * two keys orders them as the RFCs ask ("[" sorts after "Z" and before "_").
 */
export function computeSortKeys(fields: readonly HeaderField[]): SortKeys {
  const one = (name: string) => headerValue(fields as HeaderField[], name);
  const firstAddress = (name: string): ParsedAddress | null => {
    const v = one(name);
    return v === null ? null : (parseAddressList(v)[0] ?? null);
  };
  const from = firstAddress('from');
  const to = firstAddress('to');
  const cc = firstAddress('cc');
  const subject = baseSubject(decodeEncodedWords(one('subject') ?? ''));
  const date = one('date');
  const parsed = date === null ? null : parseMailDate(date);
  return {
    baseSubject: fold(subject.base),
    subjectIsReply: subject.isReply,
    from: fold(mailboxKey(from)),
    to: fold(mailboxKey(to)),
    cc: fold(mailboxKey(cc)),
    displayFrom: fold(displayKey(from)),
    displayTo: fold(displayKey(to)),
    sentAt: parsed ? parsed.ms : null,
    sentDay: parsed ? parsed.day : null,
  };
}

function fold(s: string): string {
  return s.toUpperCase();
}

/** RFC 5256 3: the addr-mailbox of the first address (a group's name for a group). */
function mailboxKey(a: ParsedAddress | null): string {
  if (!a) return '';
  return a.group === 'start' ? (a.name ?? '') : (a.mailbox ?? '');
}

/** RFC 5957 3.1: the decoded display name of the first address, else its addr-spec (a group's name for a group). */
function displayKey(a: ParsedAddress | null): string {
  if (!a) return '';
  if (a.group === 'start') return a.name ?? '';
  const name = a.name ? decodeEncodedWords(a.name).trim() : '';
  return name || addrSpecText(a);
}
