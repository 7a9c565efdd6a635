import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Label sets as Google Takeout writes them in X-Gmail-Labels, with where Heron should put each
 * message and which flags it should have. Cycled through by message number.
 */
export const LABEL_SETS: ReadonlyArray<{ header: string; mailboxes: string[]; flags: string[] }> = [
  { header: 'Inbox,Opened', mailboxes: ['INBOX'], flags: ['\\Seen'] },
  { header: 'Inbox,Unread,Important,Category Updates', mailboxes: ['INBOX'], flags: ['$Important'] },
  { header: 'Sent,Opened', mailboxes: ['Sent'], flags: ['\\Seen'] },
  { header: 'Archived,Starred,Opened', mailboxes: ['Archive'], flags: ['\\Flagged', '\\Seen'] },
  { header: 'Inbox,Work/Projects,Unread', mailboxes: ['INBOX', 'Work/Projects'], flags: [] },
  { header: 'Spam,Unread', mailboxes: ['Junk'], flags: [] },
  { header: 'Trash,Opened', mailboxes: ['Trash'], flags: ['\\Seen'] },
  { header: 'Drafts', mailboxes: ['Drafts'], flags: ['\\Draft', '\\Seen'] },
  { header: '"Travel, 2023",Opened,Starred', mailboxes: ['Travel, 2023'], flags: ['\\Flagged', '\\Seen'] },
  { header: '=?UTF-8?Q?=C3=89t=C3=A9?=,Important,Opened', mailboxes: ['Été'], flags: ['$Important', '\\Seen'] },
];

export interface TakeoutOptions {
  count: number;
  /** Bytes of body text per message (roughly). */
  bodySize?: number;
  /** Every n-th message is broken (no header at all) or oversized; 0: none. */
  badEvery?: number;
}

/** What the mbox holds, for checking an import. */
export interface TakeoutExpectation {
  /** Messages per mailbox path. */
  perMailbox: Map<string, number>;
  /** Per mailbox, how many carry each flag. */
  flagCounts: Map<string, Map<string, number>>;
  good: number;
  bad: number;
}

export function expectedFor(opts: TakeoutOptions): TakeoutExpectation {
  const perMailbox = new Map<string, number>();
  const flagCounts = new Map<string, Map<string, number>>();
  let good = 0;
  let bad = 0;
  for (let i = 0; i < opts.count; i++) {
    if (opts.badEvery && i % opts.badEvery === opts.badEvery - 1) {
      bad++;
      continue;
    }
    good++;
    const set = LABEL_SETS[i % LABEL_SETS.length]!;
    for (const m of set.mailboxes) {
      perMailbox.set(m, (perMailbox.get(m) ?? 0) + 1);
      const f = flagCounts.get(m) ?? new Map<string, number>();
      for (const flag of set.flags) f.set(flag, (f.get(flag) ?? 0) + 1);
      flagCounts.set(m, f);
    }
  }
  return { perMailbox, flagCounts, good, bad };
}

function message(i: number, bodySize: number): string {
  const set = LABEL_SETS[i % LABEL_SETS.length]!;
  const day = new Date(Date.UTC(2020, 0, 1) + i * 60_000);
  const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(Math.max(1, Math.ceil(bodySize / 58)));
  const body = [
    `Message ${i} of the archive.`,
    // A body line starting "From " is escaped in an mbox (">From "), and one that already
    // started ">From " gets another ">" (mboxrd).
    'From the desk of the sender:',
    '>From a quoted line',
    ...filler.match(/.{1,76}/g)!,
  ].join('\n');
  return [
    `X-GM-THRID: ${1_700_000_000_000_000_000n + BigInt(i)}`,
    `X-Gmail-Labels: ${set.header}`,
    `Message-ID: <takeout-${i}@mail.gmail.com>`,
    `Date: ${day.toUTCString().replace('GMT', '+0000')}`,
    `From: Sender ${i % 37} <sender${i % 37}@example.net>`,
    `To: ann@example.test`,
    `Subject: Archive message ${i}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    body,
    '',
  ].join('\n');
}

/** The same escaping a writer applies (mboxrd): any line matching /^>*From / gets one more ">". */
function escapeFrom(text: string): string {
  return text.replace(/^(>*From )/gm, '>$1');
}

/**
 * Writes a Google-Takeout-style mbox ("From <id>@xxx <asctime>" separators, X-Gmail-Labels, LF
 * line ends), streaming, so a 10 GB file needs no memory. Bad messages, when asked for, are a
 * separator with nothing but body text after it.
 */
export async function writeTakeoutMbox(path: string, opts: TakeoutOptions): Promise<TakeoutExpectation> {
  const out = createWriteStream(path);
  const bodySize = opts.bodySize ?? 600;
  for (let i = 0; i < opts.count; i++) {
    const when = new Date(Date.UTC(2020, 0, 1) + i * 60_000);
    const asctime = when.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, (_, wd: string, d: string, mon: string, y: string, t: string) => `${wd} ${mon} ${d} ${t} +0000 ${y}`);
    const isBad = opts.badEvery && i % opts.badEvery === opts.badEvery - 1;
    const text = isBad ? '\u0000\u0001 not a message at all, no header\n' : escapeFrom(message(i, bodySize));
    if (!out.write(`From 17${String(i).padStart(17, '0')}@xxx ${asctime}\n${text}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return expectedFor(opts);
}
