/**
 * FETCH of UID/FLAGS/MODSEQ only goes through MailStore.listFlags (commands/fetch-flags.ts):
 * its answers must be the same bytes the general FETCH path gives, \Recent and keywords included.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareMessage } from '../../mail/mime/index.js';
import { startHarness, type Harness } from './harness.js';
import { exchange, type RawSocket } from './raw-client.js';

describe('FETCH flags-only fast path', () => {
  let h: Harness;
  let s: RawSocket;

  before(async () => {
    h = await startHarness();
    const mb = await h.store.mail.createMailbox(h.alice.id, 'Flags');
    for (let i = 1; i <= 6; i++) {
      const prepared = await prepareMessage(Buffer.from(`Subject: m${i}\r\nMessage-ID: <m${i}@example.test>\r\n\r\nbody ${i}\r\n`), h.blobs);
      await h.store.mail.append(h.alice.id, mb.id, prepared, i % 2 ? { flags: ['\\Seen'] } : {});
    }
    await h.store.mail.updateFlags(mb.id, [2, 5], { action: 'add', flags: ['\\Flagged', 'Todo', '$Label1'] });
    await h.store.mail.updateFlags(mb.id, [6], { action: 'add', flags: ['\\Deleted', '\\Draft', '\\Answered'] });
    s = await h.raw();
  });
  after(async () => {
    await h.close();
  });

  /** The general path's answer (INTERNALDATE forces it) with INTERNALDATE taken out. */
  const general = async (tag: string, cmd: string): Promise<string> => (await exchange(s, tag, cmd)).replace(/ INTERNALDATE "[^"]*"/g, '').replace(/^\S+ OK .*\r\n$/m, '');
  const fast = async (tag: string, cmd: string): Promise<string> => (await exchange(s, tag, cmd)).replace(/^\S+ OK .*\r\n$/m, '');

  test('the same answers as the general path, with \\Recent (first SELECT) and keywords', async () => {
    await exchange(s, 'S', 'SELECT Flags');
    const flags = await fast('A', 'FETCH 1:* (FLAGS)');
    assert.equal(flags, await general('B', 'FETCH 1:* (FLAGS INTERNALDATE)'));
    assert.match(flags, /^\* 1 FETCH \(FLAGS \(\\Seen \\Recent\)\)\r\n\* 2 FETCH \(FLAGS \(\\Flagged Todo \$Label1 \\Recent\)\)\r\n/);
    assert.match(flags, /\* 6 FETCH \(FLAGS \(\\Answered \\Deleted \\Draft \\Recent\)\)\r\n$/);
    // The first MODSEQ turns CONDSTORE on (RFC 7162 3.1: `* OK [HIGHESTMODSEQ n]` once).
    assert.match(await fast('M', 'FETCH 1 MODSEQ'), /HIGHESTMODSEQ/);
    assert.equal(await fast('C', 'UID FETCH 2:5 (FLAGS MODSEQ)'), await general('D', 'UID FETCH 2:5 (FLAGS MODSEQ INTERNALDATE)'));
    assert.equal(await fast('E', 'FETCH 4,1,6 (MODSEQ UID)'), await general('F', 'FETCH 4,1,6 (MODSEQ UID INTERNALDATE)'));
    assert.match(await fast('G', 'FETCH 3 UID'), /^\* 3 FETCH \(UID 3\)\r\n$/);
    // What clients sync with (UID FETCH 1:* (FLAGS) is UID and FLAGS): written as bytes.
    const synced = await fast('H', 'UID FETCH 1:* (FLAGS)');
    assert.equal(synced, await general('I', 'UID FETCH 1:* (FLAGS INTERNALDATE)'));
    assert.match(synced, /^\* 2 FETCH \(UID 2 FLAGS \(\\Flagged Todo \$Label1 \\Recent\)\)\r\n/m);
  });

  test('a second session sees no \\Recent; CHANGEDSINCE picks the changed messages', async () => {
    await exchange(s, 'S2', 'SELECT Flags');
    const flags = await fast('A', 'FETCH 1:* FLAGS');
    assert.equal(flags, await general('B', 'FETCH 1:* (FLAGS INTERNALDATE)'));
    assert.doesNotMatch(flags, /\\Recent/);
    const m = /\* 5 FETCH \(UID 5 MODSEQ \((\d+)\)\)/.exec(await fast('C', 'FETCH 5 (UID MODSEQ)'));
    assert.ok(m);
    assert.equal(await fast('D', `UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${Number(m[1]) - 1})`), await general('E', `UID FETCH 1:* (FLAGS INTERNALDATE) (CHANGEDSINCE ${Number(m[1]) - 1})`));
  });
});
