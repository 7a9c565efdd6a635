import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv, heronCli } from '../../helpers/heron-process.js';
import { withHeronImap } from '../../helpers/heron-imap.js';

const dir = mkdtempSync(join(tmpdir(), 'heron-maildir-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = baseEnv(join(dir, 'data'), { HERON_DOMAINS: 'example.test' });

function message(n: number, eol = '\r\n'): string {
  return [`Message-ID: <md-${n}@example.test>`, `Date: Tue, 0${1 + (n % 9)} Oct 2024 10:00:00 +0000`, 'From: Bob <bob@example.net>', 'To: ann@example.test', `Subject: maildir ${n}`, '', `Body ${n}`, 'From the start of a line', ''].join(eol);
}

interface Fixture {
  folder: string;
  sub: 'cur' | 'new';
  name: string;
  content: string;
}

function maildir(root: string, files: Fixture[], keywords: Record<string, string>): void {
  for (const f of files) {
    const d = join(root, f.folder);
    for (const s of ['cur', 'new', 'tmp']) mkdirSync(join(d, s), { recursive: true });
    const path = join(d, f.sub, f.name);
    writeFileSync(path, f.content);
    utimesSync(path, new Date('2024-10-01T10:00:00Z'), new Date('2024-10-01T10:00:00Z'));
  }
  for (const [folder, text] of Object.entries(keywords)) writeFileSync(join(root, folder, 'dovecot-keywords'), text);
}

/** Every exported message by Message-ID: folder, flags and exact bytes. */
function readExport(root: string): Map<string, { folder: string; flags: string; bytes: Buffer }> {
  const out = new Map<string, { folder: string; flags: string; bytes: Buffer }>();
  const folders = ['.', ...readdirSync(root).filter((n) => n.startsWith('.') && statSync(join(root, n)).isDirectory())];
  for (const folder of folders) {
    for (const sub of ['cur', 'new']) {
      for (const name of readdirSync(join(root, folder, sub))) {
        const bytes = readFileSync(join(root, folder, sub, name));
        const id = /Message-ID: (<[^>]+>)/.exec(bytes.toString())![1]!;
        out.set(id, { folder, flags: name.slice(name.indexOf(':2,') + 3), bytes });
      }
    }
  }
  return out;
}

test('Maildir in (flags, keywords, sub-folders), Maildir out byte-exact, and each way idempotent', async () => {
  const src = join(dir, 'src');
  const files: Fixture[] = [
    { folder: '.', sub: 'cur', name: '1727776800.M1.host,S=1:2,FS', content: message(1) },
    { folder: '.', sub: 'new', name: '1727776800.M2.host', content: message(2) },
    { folder: '.', sub: 'cur', name: '1727776800.M3.host:2,Sa', content: message(3) },
    { folder: '.Work.Projects', sub: 'cur', name: '1727776800.M4.host:2,RS', content: message(4) },
    { folder: '.Sent', sub: 'cur', name: '1727776800.M5.host:2,S', content: message(5) },
    { folder: '.&AMk-t&AOk-', sub: 'cur', name: '1727776800.M6.host:2,DS', content: message(6) },
    // LF line ends: stored (and served, and exported) with CRLF, RFC 5322 2.3.
    { folder: '.', sub: 'cur', name: '1727776800.M7.host:2,S', content: message(7, '\n') },
    { folder: '.', sub: 'cur', name: '1727776800.M8.host:2,S', content: '' },
  ];
  maildir(src, files, { '.': '0 $Important\n' });
  assert.equal(heronCli(['user', 'add', 'ann@example.test'], env, { input: 'ann-secret-1\n' }).status, 0);

  const first = heronCli(['import', 'ann@example.test', src], env);
  assert.equal(first.status, 1, first.stderr);
  assert.match(first.stderr, /Importing .* \(maildir\)/);
  assert.match(first.stderr, /import: 7 imported, 0 already there, 1 could not be read/);
  assert.match(first.stderr, /skipped .*M8\.host:2,S: not a message/);
  assert.match(heronCli(['import', 'ann@example.test', src], env).stderr, /import: 0 imported, 7 already there/);

  const out = join(dir, 'export');
  const exp = heronCli(['export', 'ann@example.test', out], env);
  assert.equal(exp.status, 0, exp.stderr);
  assert.match(exp.stderr, /export: 7 messages written, 0 already there/);
  const exported = readExport(out);
  const byId = (n: number) => exported.get(`<md-${n}@example.test>`)!;
  assert.equal(exported.size, 7);
  for (const n of [1, 2, 3, 4, 5, 6]) assert.ok(byId(n).bytes.equals(Buffer.from(message(n))), `message ${n} byte for byte`);
  assert.ok(byId(7).bytes.equals(Buffer.from(message(7, '\r\n'))), 'LF input comes back with CRLF');
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6].map((n) => [byId(n).folder, byId(n).flags]),
    [['.', 'FS'], ['.', ''], ['.', 'Sa'], ['.Work.Projects', 'RS'], ['.Sent', 'S'], ['.Été', 'DS']],
  );
  assert.equal(readFileSync(join(out, 'dovecot-keywords'), 'utf8'), '0 $Important\n');
  assert.match(heronCli(['export', 'ann@example.test', out], env).stderr, /export: 0 messages written, 7 already there/, 'a second export adds nothing');

  // The export reads back in: into another user everything arrives, into the same user nothing new.
  assert.equal(heronCli(['user', 'add', 'bob@example.test'], env, { input: 'bob-secret-1\n' }).status, 0);
  assert.match(heronCli(['import', 'bob@example.test', out], env).stderr, /import: 7 imported, 0 already there, 0 could not be read/);
  assert.match(heronCli(['import', 'ann@example.test', out], env).stderr, /import: 0 imported, 7 already there/);

  // What IMAP serves is what the export wrote.
  await withHeronImap(env, { user: 'ann@example.test', pass: 'ann-secret-1' }, async (client) => {
    const lock = await client.getMailboxLock('INBOX');
    try {
      for await (const msg of client.fetch('1:*', { source: true, flags: true })) {
        const id = /Message-ID: (<[^>]+>)/.exec(msg.source!.toString())![1]!;
        assert.ok(msg.source!.equals(exported.get(id)!.bytes), `${id}: BODY[] equals the exported file`);
        if (id === '<md-3@example.test>') assert.ok(msg.flags!.has('$Important') && msg.flags!.has('\\Seen'));
        if (id === '<md-2@example.test>') assert.equal(msg.flags!.size, 0, 'new/ means unseen');
      }
    } finally {
      lock.release();
    }
  });
});

test('a folder of .eml files: each sub-folder a mailbox', () => {
  const src = join(dir, 'eml');
  mkdirSync(join(src, 'Receipts', '2024'), { recursive: true });
  writeFileSync(join(src, 'one.eml'), message(11));
  writeFileSync(join(src, 'Receipts', 'two.EML'), message(12));
  writeFileSync(join(src, 'Receipts', '2024', 'three.eml'), message(13));
  writeFileSync(join(src, 'notes.txt'), 'not mail');
  assert.equal(heronCli(['user', 'add', 'eve@example.test'], env, { input: 'eve-secret-1\n' }).status, 0);
  const r = heronCli(['import', 'eve@example.test', src], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /\(eml\)/);
  assert.match(r.stderr, /import: 3 imported/);
  const out = join(dir, 'eml-export');
  assert.equal(heronCli(['export', 'eve@example.test', out], env).status, 0);
  const exported = readExport(out);
  assert.equal(exported.get('<md-11@example.test>')!.folder, '.');
  assert.equal(exported.get('<md-12@example.test>')!.folder, '.Receipts');
  assert.equal(exported.get('<md-13@example.test>')!.folder, '.Receipts.2024');
});

test('import refuses what it cannot use, by exit code 2 and a message', () => {
  assert.match(heronCli(['import', 'nobody@example.test', dir], env).stderr, /no such user/);
  assert.match(heronCli(['import', 'ann@example.test', join(dir, 'missing')], env).stderr, /no such file or directory/);
  const r = heronCli(['import', 'ann@example.test', dir, '--format', 'pst'], env);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--format: one of mbox, maildir, eml/);
});
