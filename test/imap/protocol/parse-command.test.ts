import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandError } from '../../../imap/protocol/parse-command.js';
import type { Command } from '../../../imap/protocol/commands.js';
import { parse } from './helpers.js';

const STAR = Infinity;

function bad(line: string, code?: string): CommandError {
  try {
    parse(line);
  } catch (err) {
    assert.ok(err instanceof CommandError, String(err));
    if (code) assert.equal(err.code, code);
    return err;
  }
  assert.fail(`parsed: ${line}`);
}

/** The command variant whose name union includes N (SELECT and EXAMINE share one). */
type Of<N, C = Command> = C extends { name: infer M } ? (N extends M ? C : never) : never;

function as<N extends Command['name']>(cmd: Command, name: N): Of<N> {
  assert.equal(cmd.name, name);
  return cmd as Of<N>;
}

test('commands without arguments, any case (RFC 3501 6.1)', () => {
  for (const n of ['CAPABILITY', 'noop', 'Logout', 'STARTTLS', 'CHECK', 'CLOSE', 'UNSELECT', 'IDLE', 'NAMESPACE', 'EXPUNGE']) {
    const c = parse(`a1 ${n}`);
    assert.equal(c.tag, 'a1');
    assert.equal(c.name, n.toUpperCase());
  }
  bad('a1 NOOP extra');
  bad('a1 FROBNICATE the widgets');
  bad('a1');
  bad('+ NOOP');
});

test('LOGIN with quoted, atom and literal strings (RFC 3501 6.2.3)', () => {
  assert.deepEqual(parse('a001 LOGIN SMITH SESAME'), { tag: 'a001', name: 'LOGIN', user: 'SMITH', password: 'SESAME' });
  assert.deepEqual(parse('a LOGIN "alice@example.test" "pa ss\\"w\\\\d"'), { tag: 'a', name: 'LOGIN', user: 'alice@example.test', password: 'pa ss"w\\d' });
  assert.deepEqual(parse('a LOGIN {5+}\r\nalice {2}\r\npw'), { tag: 'a', name: 'LOGIN', user: 'alice', password: 'pw' });
  bad('a LOGIN "unterminated');
  bad('a LOGIN "bad\\escape" x');
  bad('a LOGIN "nul\0" x');
});

test('AUTHENTICATE with SASL-IR (RFC 4959)', () => {
  assert.deepEqual(parse('a AUTHENTICATE PLAIN'), { tag: 'a', name: 'AUTHENTICATE', mechanism: 'PLAIN', initialResponse: null });
  assert.deepEqual(parse('a AUTHENTICATE plain AGFsaWNlAHB3'), { tag: 'a', name: 'AUTHENTICATE', mechanism: 'PLAIN', initialResponse: 'AGFsaWNlAHB3' });
  assert.equal(as(parse('a AUTHENTICATE PLAIN ='), 'AUTHENTICATE').initialResponse, '=');
});

test('ENABLE, ID, COMPRESS', () => {
  assert.deepEqual(as(parse('t ENABLE CONDSTORE qresync'), 'ENABLE').capabilities, ['CONDSTORE', 'QRESYNC']);
  bad('t ENABLE');
  assert.deepEqual(as(parse('a023 ID ("name" "sodr" "version" "19.34" "vendor" NIL)'), 'ID').params, [['name', 'sodr'], ['version', '19.34'], ['vendor', null]]);
  assert.equal(as(parse('a ID NIL'), 'ID').params, null);
  assert.equal(as(parse('a COMPRESS DEFLATE'), 'COMPRESS').mechanism, 'DEFLATE');
});

test('SELECT/EXAMINE with CONDSTORE and QRESYNC parameters (RFC 7162 3.2.5)', () => {
  const s = as(parse('A142 SELECT INBOX'), 'SELECT');
  assert.equal(s.mailbox.toString(), 'INBOX');
  assert.equal(s.condstore, false);
  assert.equal(as(parse('a EXAMINE "Sent Items" (CONDSTORE)'), 'EXAMINE').condstore, true);
  const q = as(parse('A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))'), 'SELECT').qresync!;
  assert.equal(q.uidValidity, 67890007);
  // Past 2^53 the value is clamped; no journal here gets that far, so comparisons agree.
  assert.equal(q.modseq, Number.MAX_SAFE_INTEGER);
  assert.deepEqual(q.knownUids, { saved: false, ranges: [[41, 41], [43, 211], [214, 541]] });
  const q2 = as(parse('B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976:29979)))'), 'SELECT').qresync!;
  assert.deepEqual(q2.seqMatch?.seqs, { saved: false, ranges: [[5000, 5000], [7500, 7500], [9000, 9000], [9990, 9999]] });
  const q3 = as(parse('B SELECT INBOX (QRESYNC (1 2))'), 'SELECT').qresync!;
  assert.equal(q3.knownUids, null);
  bad('a SELECT INBOX (FOO)');
  bad('a SELECT');
});

test('CREATE with USE (RFC 6154), DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE', () => {
  const c = as(parse('t1 CREATE MySpecialArchive (USE (\\Archive))'), 'CREATE');
  assert.deepEqual(c.specialUse, ['\\Archive']);
  assert.equal(as(parse('A003 CREATE owatagusiam/'), 'CREATE').mailbox.toString(), 'owatagusiam/');
  assert.equal(as(parse('A683 DELETE blurdybloop'), 'DELETE').mailbox.toString(), 'blurdybloop');
  const r = as(parse('A683 RENAME blurdybloop sarasoop'), 'RENAME');
  assert.equal(r.newName.toString(), 'sarasoop');
  assert.equal(as(parse('A002 SUBSCRIBE #news.comp.mail.mime'), 'SUBSCRIBE').mailbox.toString(), '#news.comp.mail.mime');
  assert.equal(parse('A002 UNSUBSCRIBE x').name, 'UNSUBSCRIBE');
});

test('LIST: RFC 3501 form with unquoted wildcards, LIST-EXTENDED, LIST-STATUS', () => {
  const l = as(parse('A101 LIST "" Projects/%'), 'LIST');
  assert.equal(l.extended, false);
  assert.deepEqual(l.patterns.map(String), ['Projects/%']);
  assert.deepEqual(as(parse('A102 LIST #news.comp.mail.misc ""'), 'LIST').patterns.map(String), ['']);
  assert.deepEqual(as(parse('a LIST "" *'), 'LIST').patterns.map(String), ['*']);
  const e = as(parse('A01 LIST (SUBSCRIBED RECURSIVEMATCH) "" % RETURN (CHILDREN STATUS (MESSAGES UNSEEN))'), 'LIST');
  assert.deepEqual([...e.selection], ['SUBSCRIBED', 'RECURSIVEMATCH']);
  assert.equal(e.returns.children, true);
  assert.deepEqual(e.returns.status, ['MESSAGES', 'UNSEEN']);
  assert.equal(e.extended, true);
  const m = as(parse('A04 LIST "" ("inbox" "foo/%") RETURN (SPECIAL-USE)'), 'LIST');
  assert.deepEqual(m.patterns.map(String), ['inbox', 'foo/%']);
  assert.equal(m.returns.specialUse, true);
  assert.equal(as(parse('a LIST () "" %'), 'LIST').extended, true);
  bad('a LIST (RECURSIVEMATCH) "" %');
  bad('a LIST (BOGUS) "" %');
  bad('a LIST "" % RETURN (BOGUS)');
  assert.equal(as(parse('A LSUB "#news." "comp.mail.*"'), 'LSUB').pattern.toString(), 'comp.mail.*');
});

test('STATUS items incl. SIZE, DELETED, APPENDLIMIT, MAILBOXID', () => {
  assert.deepEqual(as(parse('A042 STATUS blurdybloop (UIDNEXT MESSAGES SIZE deleted APPENDLIMIT MAILBOXID HIGHESTMODSEQ RECENT UNSEEN UIDVALIDITY)'), 'STATUS').items, [
    'UIDNEXT', 'MESSAGES', 'SIZE', 'DELETED', 'APPENDLIMIT', 'MAILBOXID', 'HIGHESTMODSEQ', 'RECENT', 'UNSEEN', 'UIDVALIDITY',
  ]);
  bad('a STATUS INBOX ()');
  bad('a STATUS INBOX (BOGUS)');
});

test('APPEND: flags, date-time, MULTIAPPEND, CATENATE, literal8, UTF8', () => {
  const a = as(parse('A003 APPEND saved-messages (\\Seen) "05-jan-1999 20:55:23 +0000" {5}\r\nhello'), 'APPEND');
  assert.equal(a.messages.length, 1);
  assert.deepEqual(a.messages[0]!.flags, ['\\Seen']);
  assert.equal(a.messages[0]!.date?.toISOString(), '1999-01-05T20:55:23.000Z');
  assert.deepEqual(a.messages[0]!.data, { type: 'literal', data: Buffer.from('hello'), binary: false, utf8: false });
  const d = as(parse('a APPEND x " 5-Jan-1999 20:55:23 -0130" {1+}\r\nx'), 'APPEND');
  assert.equal(d.messages[0]!.date?.toISOString(), '1999-01-05T22:25:23.000Z');
  const m = as(parse('A003 APPEND saved-messages (\\Seen) {3}\r\none () {3}\r\ntwo {5}\r\nthree'), 'APPEND');
  assert.equal(m.messages.length, 3);
  assert.deepEqual(m.messages.map((x) => x.flags), [['\\Seen'], [], null]);
  const c = as(parse('A003 APPEND Drafts (\\Seen \\Draft $MDNSent) CATENATE (URL "/Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER" TEXT {4}\r\nbody URL "/x")'), 'APPEND');
  assert.deepEqual(c.messages[0]!.data, {
    type: 'catenate',
    parts: [{ type: 'url', url: '/Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER' }, { type: 'text', data: Buffer.from('body') }, { type: 'url', url: '/x' }],
  });
  const b = as(parse(Buffer.from('a APPEND INBOX ~{3+}\r\na\0b')), 'APPEND');
  assert.equal(b.messages[0]!.data.type === 'literal' && b.messages[0]!.data.binary, true);
  const u = as(parse(Buffer.from('a APPEND INBOX UTF8 (~{2+}\r\nhi)')), 'APPEND');
  assert.equal(u.messages[0]!.data.type === 'literal' && u.messages[0]!.data.utf8, true);
  bad('a APPEND INBOX');
  bad('a APPEND INBOX (\\Seen) "bad date" {1}\r\nx');
  bad('a APPEND INBOX "31-Feb-2020 00:00:00 +0000" {1}\r\nx');
});

test('FETCH items, macros, sections and partials (RFC 3501 6.4.5)', () => {
  const f = as(parse('A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])'), 'FETCH');
  assert.deepEqual(f.set, { saved: false, ranges: [[2, 4]] });
  assert.deepEqual(f.items[1], { type: 'body', peek: false, section: { part: [], text: 'HEADER.FIELDS', fields: ['DATE', 'FROM'] }, partial: null, label: 'BODY[HEADER.FIELDS (DATE FROM)]' });
  assert.deepEqual(as(parse('a FETCH 1 ALL'), 'FETCH').items.map((i) => i.type === 'simple' && i.name), ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE']);
  assert.equal(as(parse('a FETCH 1 full'), 'FETCH').items.length, 5);
  const items = as(parse('a UID FETCH 1:* (BODY.PEEK[1.2.MIME]<0.100> BODY[] BODY[2.HEADER] BODY[3] BODY[4.TEXT] BINARY[1] BINARY.PEEK[]<5.10> BINARY.SIZE[2] MODSEQ X-GM-MSGID X-GM-THRID EMAILID THREADID SAVEDATE PREVIEW (LAZY) RFC822.TEXT BODY)'), 'FETCH').items;
  assert.deepEqual(items.map((i) => ('label' in i ? i.label : i.type === 'simple' ? i.name : i.type)), [
    'BODY[1.2.MIME]<0>', 'BODY[]', 'BODY[2.HEADER]', 'BODY[3]', 'BODY[4.TEXT]', 'BINARY[1]', 'BINARY[]<5>', 'BINARY.SIZE[2]',
    'MODSEQ', 'X-GM-MSGID', 'X-GM-THRID', 'EMAILID', 'THREADID', 'SAVEDATE', 'preview', 'RFC822.TEXT', 'BODY',
  ]);
  assert.deepEqual(items[0], { type: 'body', peek: true, section: { part: [1, 2], text: 'MIME' }, partial: { origin: 0, count: 100 }, label: 'BODY[1.2.MIME]<0>' });
  assert.deepEqual(items[14], { type: 'preview', lazy: true });
  const p = as(parse('a FETCH 1 (PREVIEW UID)'), 'FETCH').items;
  assert.deepEqual(p, [{ type: 'preview', lazy: false }, { type: 'simple', name: 'UID' }]);
  const cs = as(parse('s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)'), 'FETCH');
  assert.equal(cs.changedSince, 12345);
  assert.equal(cs.vanished, true);
  assert.equal(as(parse('a FETCH 1 BODY[HEADER.FIELDS.NOT ("X-Foo" bar)]'), 'FETCH').items[0]!.type, 'body');
  for (const b of ['a FETCH 1 (FLAGS', 'a FETCH', 'a FETCH 1', 'a FETCH 1 BODY[MIME]', 'a FETCH 1 BODY[1.]', 'a FETCH 1 BODY[]<0.0>', 'a FETCH 1 BINARY[HEADER]', 'a FETCH 1 (BOGUS)', 'a FETCH 0 FLAGS', 'a FETCH 1 BODY[HEADER.FIELDS ()]']) bad(b);
});

test('sequence sets: `*`, reversed ranges, `$` (RFC 5182) and the UID prefix', () => {
  assert.deepEqual(as(parse('a FETCH 1,* UID'), 'FETCH').set, { saved: false, ranges: [[1, 1], [STAR, STAR]] });
  assert.deepEqual(as(parse('a FETCH *:3 UID'), 'FETCH').set, { saved: false, ranges: [[3, STAR]] });
  assert.deepEqual(as(parse('a FETCH 5:2 UID'), 'FETCH').set, { saved: false, ranges: [[2, 5]] });
  assert.deepEqual(as(parse('a UID COPY $ Trash'), 'COPY').set, { saved: true });
  for (const b of ['a FETCH 1: UID', 'a FETCH ,1 UID', 'a FETCH 1,,2 UID', 'a FETCH 1:2:3 UID', 'a FETCH -1 UID', 'a FETCH 99999999999 UID']) bad(b);
});

test('a 40,000-item sequence set parses in linear time', () => {
  const set = Array.from({ length: 40_000 }, (_, i) => `${i * 3 + 1}:${i * 3 + 2}`).join(',');
  const started = process.hrtime.bigint();
  const f = as(parse(`a UID FETCH ${set} FLAGS`), 'FETCH');
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.ok(!f.set.saved && f.set.ranges.length === 40_000);
  // A bound for a hang, not a speed claim: quadratic parsing took 16 s here.
  assert.ok(ms < 5000, `${ms} ms`);
});

test('STORE with UNCHANGEDSINCE and both flag forms (RFC 3501 6.4.6, RFC 7162 3.1.3)', () => {
  assert.deepEqual(parse('A003 STORE 2:4 +FLAGS (\\Deleted)'), { tag: 'A003', name: 'STORE', uid: false, set: { saved: false, ranges: [[2, 4]] }, unchangedSince: null, action: 'add', silent: false, flags: ['\\Deleted'] });
  const s = as(parse('d105 UID STORE 7,5,9 (UNCHANGEDSINCE 320162338) -FLAGS.SILENT \\Deleted $Junk'), 'STORE');
  assert.equal(s.unchangedSince, 320162338);
  assert.equal(s.action, 'remove');
  assert.equal(s.silent, true);
  assert.deepEqual(s.flags, ['\\Deleted', '$Junk']);
  assert.deepEqual(as(parse('a STORE 1 FLAGS ()'), 'STORE').flags, []);
  bad('G7 STORE 1 +FLAGS (\\Seen');
  bad('a STORE 1 +BOGUS (\\Seen)');
});

test('COPY, MOVE, UID EXPUNGE', () => {
  assert.equal(as(parse('A003 COPY 2:4 MEETING'), 'COPY').mailbox.toString(), 'MEETING');
  assert.equal(as(parse('a UID MOVE 42 "Other Box"'), 'MOVE').uid, true);
  assert.deepEqual(as(parse('A003 UID EXPUNGE 3000:3002'), 'EXPUNGE').set, { saved: false, ranges: [[3000, 3002]] });
  assert.equal(as(parse('a EXPUNGE'), 'EXPUNGE').set, null);
  bad('a UID EXPUNGE');
  bad('a UID NOOP');
});

test('SEARCH: RFC 3501 examples, charset, NIL as a plain string, ESEARCH RETURN', () => {
  const s = as(parse('A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"'), 'SEARCH');
  assert.deepEqual(s.key, {
    type: 'and',
    keys: [
      { type: 'flag', flag: '\\Flagged', set: true },
      { type: 'date', field: 'internal', op: 'since', day: 19940201 },
      { type: 'not', key: { type: 'text', field: 'from', value: 'Smith' } },
    ],
  });
  const c = as(parse('A284 SEARCH CHARSET UTF-8 TEXT {6}\r\nXXXXXX'), 'SEARCH');
  assert.equal(c.charset, 'UTF-8');
  assert.deepEqual(c.key, { type: 'text', field: 'text', value: 'XXXXXX' });
  assert.deepEqual(as(parse('a SEARCH SUBJECT NIL'), 'SEARCH').key, { type: 'text', field: 'subject', value: 'NIL' });
  assert.deepEqual(as(parse('a SEARCH BODY NIL'), 'SEARCH').key, { type: 'text', field: 'body', value: 'NIL' });
  const l = as(parse(Buffer.concat([Buffer.from('a SEARCH CHARSET ISO-8859-1 SUBJECT {1}\r\n'), Buffer.from([0xe9])])), 'SEARCH');
  assert.deepEqual(l.key, { type: 'text', field: 'subject', value: 'é' });
  const e = bad('a SEARCH CHARSET X-UNKNOWN-42 ALL', 'BADCHARSET');
  assert.equal(e.status, 'NO');
  const r = as(parse('A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"'), 'SEARCH');
  assert.deepEqual([...r.returns!.options], ['MIN', 'COUNT']);
  assert.equal(as(parse('a UID SEARCH RETURN () ALL'), 'SEARCH').returns!.options.size, 0);
  const p = as(parse('a UID SEARCH RETURN (PARTIAL 1:100 COUNT) UNSEEN'), 'SEARCH');
  assert.deepEqual(p.returns!.partial, { low: 1, high: 100 });
});

test('every search key parses, nesting is bounded, unknown keys are BAD', () => {
  const all = 'ALL ANSWERED BCC a BEFORE 1-Jan-2020 BODY b CC c DELETED DRAFT FLAGGED FROM f HEADER X-Tag v KEYWORD $k LARGER 5 NEW OLD ON 2-Feb-2020 ' +
    'RECENT SEEN SENTBEFORE 1-Jan-2020 SENTON 1-Jan-2020 SENTSINCE 1-Jan-2020 SINCE 1-Jan-2020 SMALLER 10 SUBJECT s TEXT t TO u UID 1:5 ' +
    'UNANSWERED UNDELETED UNDRAFT UNFLAGGED UNKEYWORD $k UNSEEN 1,2:* $ MODSEQ 5 MODSEQ "/flags/\\\\draft" all 620162338 OLDER 60 YOUNGER 60 ' +
    'SAVEDBEFORE 1-Jan-2020 SAVEDON 1-Jan-2020 SAVEDSINCE "1-Jan-2020" SAVEDATESUPPORTED EMAILID M6d99ac3275bb4e THREADID T64b478a75b7ea9 ' +
    'X-GM-RAW "has:attachment in:inbox" X-GM-MSGID 1278455344230334865 X-GM-THRID 1266894439832287888 OR SEEN (FLAGGED DRAFT) NOT NOT SEEN';
  const k = as(parse('a UID SEARCH ' + all), 'SEARCH').key;
  assert.equal(k.type, 'and');
  assert.equal(k.type === 'and' && k.keys.length, 50);
  assert.deepEqual(as(parse('a SEARCH X-GM-MSGID 1278455344230334865'), 'SEARCH').key, { type: 'x-gm-msgid', id: '1278455344230334865' });
  assert.deepEqual(as(parse('a SEARCH MODSEQ "/flags/\\\\draft" all 620162338'), 'SEARCH').key, { type: 'modseq', min: 620162338 });
  bad('a SEARCH ' + 'NOT '.repeat(100) + 'ALL', 'LIMIT');
  bad('a SEARCH ' + '('.repeat(100) + 'ALL' + ')'.repeat(100), 'LIMIT');
  for (const b of ['G6 UID SEARCH FROBBED', 'G8 SEARCH SINCE notadate', 'a SEARCH', 'a SEARCH OR SEEN', 'a SEARCH ()', 'a SEARCH (SEEN', 'a SEARCH HEADER X', 'a SEARCH EMAILID bad!id']) bad(b);
});

test('SORT, ESORT and THREAD (RFC 5256, 5267, 5957)', () => {
  const s = as(parse('A282 SORT (SUBJECT REVERSE DATE) UTF-8 ALL'), 'SORT');
  assert.deepEqual(s.criteria, [{ key: 'SUBJECT', reverse: false }, { key: 'DATE', reverse: true }]);
  assert.equal(s.charset, 'UTF-8');
  const e = as(parse('C1 UID SORT RETURN (COUNT MIN) (DISPLAYFROM) UTF-8 UNDELETED'), 'SORT');
  assert.deepEqual([...e.returns!.options], ['COUNT', 'MIN']);
  assert.equal(e.criteria[0]!.key, 'DISPLAYFROM');
  const t = as(parse('A283 THREAD ORDEREDSUBJECT UTF-8 SINCE 5-MAR-2000'), 'THREAD');
  assert.equal(t.algorithm, 'ORDEREDSUBJECT');
  bad('a SORT () UTF-8 ALL');
  bad('a SORT (BOGUS) UTF-8 ALL');
  bad('a SORT (DATE) UTF-8');
});

test('quota, CANCELUPDATE, NOTIFY, URLAUTH', () => {
  assert.equal(as(parse('G0001 GETQUOTA "!partition/sda4"'), 'GETQUOTA').root, '!partition/sda4');
  assert.equal(as(parse('A003 GETQUOTAROOT INBOX'), 'GETQUOTAROOT').mailbox.toString(), 'INBOX');
  assert.deepEqual(as(parse('S0000 SETQUOTA "#user/alice" (STORAGE 510)'), 'SETQUOTA').limits, [['STORAGE', 510]]);
  assert.deepEqual(as(parse('C01 CANCELUPDATE "B01" "B02"'), 'CANCELUPDATE').tags, ['B01', 'B02']);
  const n = as(parse('a NOTIFY SET STATUS (selected (MessageNew (uid body.peek[header.fields (from to subject)]) MessageExpunge)) (subtree Lists (MailboxName)) (mailboxes (a b) NONE) (personal (FlagChange))'), 'NOTIFY');
  assert.equal(n.status, true);
  assert.equal(n.groups!.length, 4);
  assert.deepEqual(n.groups![0]!.events, ['MESSAGENEW', 'MESSAGEEXPUNGE']);
  assert.equal(n.groups![0]!.messageNewItems!.length, 2);
  assert.deepEqual(n.groups![1]!.mailboxes, { kind: 'subtree', names: [Buffer.from('Lists')] });
  assert.deepEqual(n.groups![2]!.events, []);
  assert.equal(as(parse('a NOTIFY NONE'), 'NOTIFY').groups, null);
  bad('a NOTIFY SET (bogus (MessageNew))');
  const g = as(parse('a GENURLAUTH "imap://joe@example.com/INBOX/;uid=20/;section=1.2;urlauth=submit+fred" INTERNAL'), 'GENURLAUTH');
  assert.deepEqual(g.urls, [{ url: 'imap://joe@example.com/INBOX/;uid=20/;section=1.2;urlauth=submit+fred', mechanism: 'INTERNAL' }]);
  assert.equal(as(parse('a RESETKEY'), 'RESETKEY').mailbox, null);
  assert.deepEqual(as(parse('a RESETKEY INBOX INTERNAL'), 'RESETKEY').mechanisms, ['INTERNAL']);
  assert.deepEqual(as(parse('a URLFETCH "imap://a/b" ("imap://c/d" BINARY bodypartstructure)'), 'URLFETCH').urls, [{ url: 'imap://a/b', params: null }, { url: 'imap://c/d', params: ['BINARY', 'BODYPARTSTRUCTURE'] }]);
});

test('lists, search programs and sequence sets count against maxItems', () => {
  const flags = Array.from({ length: 200 }, (_, i) => `k${i}`).join(' ');
  assert.equal(as(parse(`a STORE 1 +FLAGS (${flags})`), 'STORE').flags.length, 200);
  for (const line of [`a STORE 1 +FLAGS (${flags})`, `a SEARCH ${'SEEN '.repeat(150)}ALL`, `a FETCH ${Array.from({ length: 150 }, (_, i) => i + 1).join(',')} UID`]) {
    try {
      parse(line, { maxItems: 100 });
      assert.fail('parsed');
    } catch (err) {
      assert.ok(err instanceof CommandError);
      assert.equal(err.code, 'LIMIT');
      assert.equal(err.tag, 'a');
    }
  }
});
