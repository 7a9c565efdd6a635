/** Valid commands covering the grammar: the seed corpus of the fuzz tests. */
export const CORPUS: string[] = [
  'a1 CAPABILITY',
  'a2 LOGIN alice "pass word"',
  'a3 AUTHENTICATE PLAIN AGFsaWNlAHB3',
  'a4 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541 (1:3 5:7)))',
  'a5 LIST (SUBSCRIBED RECURSIVEMATCH) "" ("%" "a/*") RETURN (CHILDREN STATUS (MESSAGES UNSEEN SIZE))',
  'a6 FETCH 1:*,$ (FLAGS BODY.PEEK[1.2.HEADER.FIELDS (From "To")]<0.100> BINARY[3]<5.7> BINARY.SIZE[1] PREVIEW (LAZY)) (CHANGEDSINCE 5 VANISHED)',
  'a7 UID SEARCH RETURN (MIN MAX PARTIAL 1:10) CHARSET UTF-8 OR (FROM "x" SUBJECT {3+}\r\nabc) NOT (SINCE 1-Feb-1994 MODSEQ "/flags/\\\\seen" all 5) X-GM-RAW "in:inbox"',
  'a8 STORE 1:3 (UNCHANGEDSINCE 12) +FLAGS.SILENT (\\Seen $Junk)',
  'a9 APPEND INBOX (\\Seen) "05-Jan-1999 20:55:23 +0000" {5+}\r\nhello {3+}\r\nbye CATENATE (TEXT {2+}\r\nhi URL "/INBOX;UIDVALIDITY=1/;UID=2")',
  'b1 UID SORT RETURN (COUNT) (REVERSE DATE SUBJECT) UTF-8 UNDELETED',
  'b2 THREAD REFERENCES UTF-8 ALL',
  'b3 NOTIFY SET STATUS (selected (MessageNew (UID FLAGS) MessageExpunge)) (subtree (a b) (MailboxName))',
  'b4 GENURLAUTH "imap://a@b/INBOX/;uid=1;urlauth=submit+a" INTERNAL',
  'b5 STATUS "Sent Items" (MESSAGES UIDNEXT HIGHESTMODSEQ DELETED APPENDLIMIT MAILBOXID)',
  'b6 CREATE "x/y" (USE (\\Archive))',
  'b7 ID ("name" "x" "version" NIL)',
  'b8 UID MOVE 1:5,7 "Trash"',
  'b9 ENABLE CONDSTORE QRESYNC UTF8=ACCEPT',
  'c1 SETQUOTA "" (STORAGE 512)',
  'c2 IDLE',
];

export const SPECIALS = ['(', ')', '{', '}', '[', ']', '"', '\\', '*', '%', '$', ' ', '\r\n', '\0', '~{3}\r\n', '{2+}\r\n', '{0}\r\n', '<', '>', '.', ':', ',', 'NIL', '{99999999}\r\n'];

export function mutate(input: Buffer, r: () => number): Buffer {
  const bytes = [...input];
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (bytes.length + 1));
    switch (Math.floor(r() * 5)) {
      case 0:
        bytes[at] = Math.floor(r() * 256);
        break;
      case 1:
        bytes.splice(at, 1 + Math.floor(r() * 8));
        break;
      case 2:
        bytes.splice(at, 0, ...Buffer.from(SPECIALS[Math.floor(r() * SPECIALS.length)]!, 'binary'));
        break;
      case 3: {
        const from = Math.floor(r() * bytes.length);
        bytes.splice(at, 0, ...bytes.slice(from, from + Math.floor(r() * 30)));
        break;
      }
      default:
        bytes.splice(at, 0, Math.floor(r() * 128));
    }
  }
  return Buffer.from(bytes);
}

