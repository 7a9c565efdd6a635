/**
 * Values for one FETCH response (RFC 3501 6.4.5 / 7.4.2). Cheap items are computed here; body
 * sections are streamed from message-codec's reader with their exact length known up front;
 * ENVELOPE, BODYSTRUCTURE, BODY and header sections go through imap-core's own formatter.
 */
import type { MessageField, MessageRecord } from '../domain/index.js';
import type { MessageContent, MessageReader, SectionSelector } from '../mail/message-codec/index.js';
import type { ImapTools } from './imap-core.js';
import type { FetchQueryItem } from './types.js';

export interface StreamValue {
  type: 'stream';
  value: NodeJS.ReadableStream & { isLimited?: boolean };
  expectedLength: number;
  startFrom: number;
  maxLength: number;
}

/** Which stored columns a query needs; FLAGS-only fetches load no MIME data at all. */
export function fieldsFor(query: FetchQueryItem[]): MessageField[] {
  const fields = new Set<MessageField>(['flags']);
  for (const q of query) {
    if (q.item === 'envelope') fields.add('envelope');
    else if (q.item === 'bodystructure') fields.add('bodystructure');
    else if (q.item === 'body' || q.item.startsWith('rfc822')) {
      if (q.item !== 'rfc822.size') fields.add('mimeTree');
    }
  }
  return [...fields];
}

/** Items answered from our reader rather than imap-core: they may be large. */
function streamSelector(q: FetchQueryItem): SectionSelector | null {
  if (q.item === 'rfc822') return { path: '', type: 'content' };
  if (q.item === 'rfc822.text') return { path: '', type: 'text' };
  if (q.item === 'body' && (q.type === 'content' || q.type === 'text')) return { path: q.path ?? '', type: q.type };
  return null;
}

function toStreamValue(content: MessageContent, q: FetchQueryItem): StreamValue | string {
  const startFrom = q.partial?.startFrom ?? 0;
  const maxLength = q.partial?.maxLength ?? 0;
  if (q.partial && q.original.partial && q.original.partial.length === 2) {
    // The response names only the origin octet: BODY[]<0> (RFC 3501 7.4.2).
    q.original.partial.pop();
  }
  if (startFrom >= content.length) return '';
  const stream = content.open({ start: startFrom, maxLength }) as StreamValue['value'];
  // Already cut to the range; imap-core must not skip `startFrom` bytes again.
  stream.isLimited = true;
  return { type: 'stream', value: stream, expectedLength: content.length, startFrom, maxLength };
}

export function fetchValues(
  query: FetchQueryItem[],
  rec: MessageRecord,
  reader: MessageReader,
  tools: ImapTools,
  acceptUtf8: boolean,
): unknown[] {
  const message = {
    uid: rec.uid,
    flags: rec.flags,
    modseq: rec.modseq,
    idate: rec.internalDate,
    size: rec.size,
    envelope: rec.envelope,
    bodystructure: rec.bodystructure,
    mimeTree: rec.mimeTree,
  };
  return query.map((q) => {
    switch (q.item) {
      case 'uid':
        return rec.uid;
      case 'flags':
        return rec.flags;
      case 'modseq':
        return rec.modseq;
      case 'internaldate':
        return rec.internalDate;
      case 'rfc822.size':
        return rec.size;
      default:
        break;
    }
    const sel = streamSelector(q);
    if (sel) {
      if (!rec.mimeTree) return '';
      const content = reader.section(rec.mimeTree, sel);
      return content ? toStreamValue(content, q) : '';
    }
    // BODY, header sections and RFC822.HEADER are formatted by imap-core from the tree.
    if ((q.item === 'body' || q.item === 'rfc822.header') && !rec.mimeTree) return '';
    return tools.getQueryResponse([q], message, { acceptUTF8Enabled: acceptUtf8 })[0];
  });
}
