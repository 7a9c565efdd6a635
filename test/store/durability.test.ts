import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../../store/sqlite/index.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { collect } from './fixtures.js';

// A child process appends messages and reports each one the moment the store resolves; we
// SIGKILL it mid-stream. Everything it reported (= what a server would have acknowledged) must
// be there after reopening, attachments included.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dir: string;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-durable-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const CHILD = `
import { openSqliteStore } from '../../store/sqlite/index.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { makeMessage } from './fixtures.js';
const dir = process.env.HERON_TEST_DIR;
const blobs = createFsBlobStore(dir + '/blobs');
const store = await openSqliteStore({ path: dir + '/heron.sqlite', blobs, notifier: createMemoryNotifier() });
await store.users.addDomain('example.test');
const u = await store.users.createUser({ username: 'dura', address: 'dura@example.test', password: 'pw' });
const inbox = await store.mail.getMailbox(u.id, 'INBOX');
process.stdout.write('user ' + u.id + ' ' + inbox.id + '\\n');
for (let i = 0; i < 100000; i++) {
  const msg = await makeMessage(blobs, { subject: 'durable ' + i, attachments: [{ filename: 'a' + i, content: 'attachment ' + i }] });
  const r = await store.mail.append(u.id, inbox.id, msg);
  process.stdout.write('acked ' + r.uid + '\\n');
}
`;

test('acknowledged appends survive SIGKILL', async () => {
  const script = path.join(root, 'test', 'store', `.durability-child-${process.pid}.ts`);
  fs.writeFileSync(script, CHILD);
  let acked = 0;
  let ids: [string, string] | undefined;
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, env: { ...process.env, HERON_TEST_DIR: dir }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buf += chunk.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const m = /^user (\d+) (\d+)$/.exec(line);
          if (m) ids = [m[1]!, m[2]!];
          const a = /^acked (\d+)$/.exec(line);
          if (a) {
            acked = Math.max(acked, Number(a[1]));
            if (acked >= 25 && !child.killed) child.kill('SIGKILL');
          }
        }
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
  } finally {
    fs.rmSync(script, { force: true });
  }
  assert.ok(ids, 'child created its user');
  assert.ok(acked >= 25, `child acknowledged ${acked} appends`);
  const blobs = createFsBlobStore(path.join(dir, 'blobs'));
  const store = await openSqliteStore({ path: path.join(dir, 'heron.sqlite'), blobs, notifier: createMemoryNotifier() });
  try {
    const uids = await store.mail.listUids(ids[1]);
    for (let uid = 1; uid <= acked; uid++) assert.ok(uids.includes(uid), `acknowledged uid ${uid} survived`);
    const recs = await collect(store.mail.getMessages(ids[1], { start: 1, end: acked }, { fields: ['content'] }));
    for (const r of recs) {
      const blob = r.content!.find((s) => 'blobId' in s);
      assert.ok(blob && 'blobId' in blob && (await blobs.has(blob.blobId)), `blob of uid ${r.uid} survived`);
    }
    const st = await store.mail.getMailboxStatus(ids[1]);
    assert.ok(st.uidNext > Math.max(...uids), 'UIDNEXT consistent with stored messages');
  } finally {
    await store.close();
  }
});
