/**
 * MailStore's narrow reads (domain/narrow-reads.ts) on SQLite: FETCH FLAGS reads the flag
 * columns only, SORT orders in SQL on the SortKeys columns, THREAD reads the sort columns plus
 * the compact header summary, parsed without building envelopes.
 */
import type { MailStore, MessageFlagState, MessageSortKey, MessageThreadFields, UidSelector } from '../../domain/index.js';
import { StoreError, SYSTEM_FLAGS } from '../../domain/index.js';
import { cachedStatement, parseId } from './context.js';
import type { StoreContext } from './context.js';
import { legacyFields } from './legacy/legacy-messages.js';
import { requireMailbox } from './mailbox-rows.js';
import { uidCondition } from './uid-selector.js';

type NarrowReads = Pick<MailStore, 'listFlags' | 'sortUids' | 'listThreadFields'>;

const FLAG_BATCH = 5000;
const THREAD_BATCH = 5000;
/** The five system flags as bits, in SYSTEM_FLAGS order. */
const FLAG_BITS = '(seen | (answered << 1) | (flagged << 2) | (deleted << 3) | (draft << 4))';

/** Strings as the sort keys were stored (null read as ''), compared BINARY: code point order of the UTF-8. */
const SORT_SQL: Record<MessageSortKey, string> = {
  arrival: 'internal_date',
  date: 'COALESCE(sent_at, internal_date)',
  size: 'size',
  subject: "COALESCE(base_subject, '')",
  from: "COALESCE(sort_from, '')",
  to: "COALESCE(sort_to, '')",
  cc: "COALESCE(sort_cc, '')",
  displayFrom: "COALESCE(display_from, '')",
  displayTo: "COALESCE(display_to, '')",
};

/**
 * One frozen flag list per distinct (system bits, keywords) in a read: most messages of a
 * mailbox share a handful of flag states, so 50,000 rows build a few arrays, not 50,000.
 */
function flagLists(): (bits: number, keywords: string | null) => readonly string[] {
  const build = (bits: number, keywords: string | null): readonly string[] => {
    const out: string[] = [];
    for (let i = 0; i < SYSTEM_FLAGS.length; i++) if (bits & (1 << i)) out.push(SYSTEM_FLAGS[i]!);
    if (keywords) out.push(...(JSON.parse(keywords) as string[]));
    return Object.freeze(out);
  };
  // Without keywords (most messages) the five bits index an array: no key string per row.
  const plain: Array<readonly string[] | undefined> = [];
  const withKeywords = new Map<string, readonly string[]>();
  return (bits, keywords) => {
    if (keywords === null) return (plain[bits] ??= build(bits, null));
    const key = `${bits} ${keywords}`;
    let flags = withKeywords.get(key);
    if (!flags) withKeywords.set(key, (flags = build(bits, keywords)));
    return flags;
  };
}

export function createNarrowReadMethods(ctx: StoreContext): NarrowReads {
  const { db } = ctx;
  return {
    listFlags(mailboxId: string, uids: UidSelector, opts: { changedSince?: number; modseq?: boolean } = {}): AsyncIterable<MessageFlagState[]> {
      const cond = uidCondition(uids);
      const since = opts.changedSince;
      const where = `WHERE mailbox_id = ? AND ${cond.sql} AND uid > ?${since !== undefined ? ' AND modseq > ?' : ''} ORDER BY uid LIMIT ${FLAG_BATCH}`;
      return {
        async *[Symbol.asyncIterator]() {
          const mb = requireMailbox(db, parseId(mailboxId));
          // CHANGEDSINCE of a recent MODSEQ (a client's resync, FETCH FLAGS' memory catching up)
          // finds its few rows through the MODSEQ index instead of walking every message.
          const few =
            since !== undefined &&
            (cachedStatement(db, 'SELECT count(*) FROM (SELECT 1 FROM messages INDEXED BY messages_modseq WHERE mailbox_id = ? AND modseq > ? LIMIT ?)').pluck().get(mb.id, since, FLAG_BATCH) as number) < FLAG_BATCH;
          const batch = `${few ? 'INDEXED BY messages_modseq ' : ''}${where}`;
          // One integer per row (uid, a has-keywords bit, the system flag bits) and MODSEQ in a
          // second plucked read: better-sqlite3 then builds no array per row, which is most of
          // the cost of 50,000 rows. Keywords are read only for the rows that have some.
          const packed = cachedStatement(db, `SELECT (uid << 6) | ((keywords IS NOT NULL) << 5) | ${FLAG_BITS} FROM messages ${batch}`).pluck();
          const modseqs = opts.modseq === false ? null : cachedStatement(db, `SELECT modseq FROM messages ${batch}`).pluck();
          const keywords = cachedStatement(db, `SELECT uid, keywords FROM messages WHERE mailbox_id = ? AND uid IN (SELECT value FROM json_each(?))`).raw();
          const flagsOf = flagLists();
          const readPage = db.transaction((after: number) => {
            const args = [mb.id, ...cond.params, after, ...(since !== undefined ? [since] : [])];
            const keys = packed.all(...args) as number[];
            const withKeywords: number[] = [];
            for (const k of keys) if (k & 32) withKeywords.push(Math.floor(k / 64));
            return {
              keys,
              modseq: modseqs && keys.length ? (modseqs.all(...args) as number[]) : null,
              kw: withKeywords.length ? new Map(keywords.all(mb.id, JSON.stringify(withKeywords)) as Array<[number, string]>) : null,
            };
          });
          // Keyset batches, each one read transaction (one snapshot for its three reads); no
          // statement stays open across a yield.
          let after = 0;
          for (;;) {
            const { keys, modseq, kw } = readPage(after);
            if (!keys.length) return;
            const page: MessageFlagState[] = new Array(keys.length);
            for (let i = 0; i < keys.length; i++) {
              const k = keys[i]!;
              const uid = Math.floor(k / 64);
              const flags = flagsOf(k & 31, k & 32 ? (kw?.get(uid) ?? null) : null);
              page[i] = modseq ? { uid, modseq: modseq[i]!, flags } : { uid, flags };
            }
            yield page;
            if (keys.length < FLAG_BATCH) return;
            after = page[page.length - 1]!.uid;
          }
        },
      };
    },

    async sortUids(mailboxId, uids, criteria) {
      const mb = requireMailbox(db, parseId(mailboxId));
      const order = criteria.map((c) => {
        if (!Object.hasOwn(SORT_SQL, c.key)) throw new StoreError('invalid', 'unknown sort key');
        const expr = SORT_SQL[c.key];
        return c.reverse ? `${expr} DESC` : expr;
      });
      const cond = uidCondition(uids);
      // RFC 5256 3: messages equal on every key stay in sequence order, which is UID order.
      return db
        .prepare(`SELECT uid FROM messages WHERE mailbox_id = ? AND ${cond.sql} ORDER BY ${[...order, 'uid'].join(', ')}`)
        .pluck()
        .all(mb.id, ...cond.params) as number[];
    },

    async listThreadFields(mailboxId, uids) {
      const mb = requireMailbox(db, parseId(mailboxId));
      const cond = uidCondition(uids, 'm.');
      // The envelope's In-Reply-To and Message-ID only (what the summary's 1s stand for), extracted
      // in SQL: parsing whole envelopes here would double the cost of a 50,000-message THREAD.
      const stmt = cachedStatement(
        db,
        `SELECT m.uid, COALESCE(m.sent_at, m.internal_date), m.base_subject, m.subject_is_reply, m.id, c.header, json_extract(c.envelope, '$[${E_IN_REPLY_TO}]', '$[${E_MESSAGE_ID}]')
           FROM messages m LEFT JOIN contents c ON c.id = m.content_id
           WHERE m.mailbox_id = ? AND ${cond.sql} AND m.uid > ? ORDER BY m.uid LIMIT ${THREAD_BATCH}`,
      ).raw();
      const out: MessageThreadFields[] = [];
      // Keyset batches with the event loop free between them: other sessions are served while a
      // 500,000-message mailbox is read.
      for (let after = 0; ; ) {
        const rows = stmt.all(mb.id, ...cond.params, after) as Array<[number, number, string | null, number, number, string | null, string | null]>;
        for (const r of rows) {
          const ids = r[5] === null ? legacyIds(r[4]) : headerIds(r[5], r[6]);
          out.push({ uid: r[0], messageId: ids.messageId, inReplyTo: ids.inReplyTo, references: ids.references, baseSubject: r[2] ?? '', subjectIsReply: r[3] === 1, date: r[1] });
        }
        if (rows.length < THREAD_BATCH) return out;
        after = rows[rows.length - 1]![0];
        await new Promise<void>((resolve) => setImmediate(resolve));
      }

      function legacyIds(rowId: number): Pick<MessageThreadFields, 'messageId' | 'inReplyTo' | 'references'> {
        const h = legacyFields(db, rowId, ['header']).header;
        return { messageId: h?.messageId ?? null, inReplyTo: h?.inReplyTo ?? null, references: h?.references ?? [] };
      }
    },
  };
}

/** Positions in compact-json.ts's header summary and envelope arrays; 1 there means "as the envelope says". */
const SAME = 1;
const H_MESSAGE_ID = 6;
const H_IN_REPLY_TO = 7;
const H_REFERENCES = 9;
const E_IN_REPLY_TO = 8;
const E_MESSAGE_ID = 9;

/**
 * Message-ID, In-Reply-To and References from the compact header summary, as decodeHeader gives
 * them; `envelopeIds` is the envelope's [In-Reply-To, Message-ID] as JSON.
 */
function headerIds(header: string, envelopeIds: string | null): Pick<MessageThreadFields, 'messageId' | 'inReplyTo' | 'references'> {
  const h = JSON.parse(header) as unknown[];
  const id = h[H_MESSAGE_ID];
  const irt = h[H_IN_REPLY_TO];
  const env = (id === SAME || irt === SAME) && envelopeIds !== null ? (JSON.parse(envelopeIds) as Array<string | null>) : null;
  return {
    messageId: id === SAME ? (env?.[1] ?? null) : ((id as string | null | undefined) ?? null),
    inReplyTo: irt === SAME ? (env?.[0] ?? null) : ((irt as string | null | undefined) ?? null),
    references: (h[H_REFERENCES] as string[] | null | undefined) ?? [],
  };
}
