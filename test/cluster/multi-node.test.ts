import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import nodemailer from 'nodemailer';
import { haveRedis, startTestRedis, type TestRedis } from '../helpers/redis.js';
import { haveJongodb, startJongodb, testDatabaseName, type JongodbServer } from '../helpers/jongodb.js';
import { TestCluster, api, imapClient, type ClusterNode } from './nodes.js';

const PASSWORD = 'cluster pass 1';

/**
 * Two Heron nodes (mx, submission, imap, api, queue) and a front gateway on one shared store
 * and one real Redis: what one node does, the other knows at once. Run on a shared SQLite data
 * directory and on the MongoDB-compatible test server.
 */
function clusterSuite(title: string, store: { env(): Promise<Record<string, string>>; stop(): Promise<void> } | null, skip: string | false) {
  describe(title, { skip: (!haveRedis() && 'no redis-server') || skip }, () => {
    let redis: TestRedis;
    let cluster: TestCluster;
    let a: ClusterNode;
    let b: ClusterNode;
    let gw: ClusterNode;

    before(async () => {
      redis = await startTestRedis('cluster');
      // Two wrong passwords lock an account (no growing waits first), so the test is quick.
      cluster = new TestCluster(
        redis.url,
        redis.prefix,
        { HERON_MAX_CONNECTIONS_PER_IP: '2', ...(store ? await store.env() : {}) },
        { security: { loginFailures: { free: 100, lockAfter: 2 } } },
      );
      for (const user of ['ann', 'bob', 'cat']) {
        const r = cluster.cli(['user', 'add', `${user}@heron.test`, '--password', PASSWORD]);
        assert.equal(r.status, 0, r.stderr);
      }
      [a, b] = await Promise.all([cluster.start('a', 'mx,submission,imap,api,queue'), cluster.start('b', 'mx,submission,imap,api,queue')]);
      gw = await cluster.start('gateway', 'gateway');
    });
    after(async () => {
      await cluster?.close();
      await redis?.stop();
      await store?.stop();
    });

    test('a delivery through node A\'s MX is pushed to an IDLE session on node B', async () => {
      const client = await imapClient(b.ports.imap, 'ann@heron.test', PASSWORD);
      try {
        const box = await client.mailboxOpen('INBOX');
        const before = box.exists;
        const idling = client.idle();
        const exists = once(client, 'exists', { signal: AbortSignal.timeout(20_000) });
        const mx = nodemailer.createTransport({ host: '127.0.0.1', port: a.ports.smtp, secure: false, ignoreTLS: true, name: 'sender.example' });
        await mx.sendMail({ from: 'someone@remote.example', to: 'ann@heron.test', subject: 'across nodes', text: 'hello from node A' });
        const [ev] = (await exists) as [{ count: number }];
        assert.equal(ev.count, before + 1);
        await client.noop();
        await idling.catch(() => undefined);
      } finally {
        await client.logout().catch(() => undefined);
      }
    });

    test('a logout on node A refuses the token on node B at once', async () => {
      const login = await api(a.ports.api, 'POST', '/v1/auth/login', { body: { username: 'bob@heron.test', password: PASSWORD } });
      assert.equal(login.status, 200, JSON.stringify(login.json));
      const token = login.json.token as string;
      assert.equal((await api(b.ports.api, 'GET', '/v1/me/profile', { token })).status, 200, 'valid on B, and now in B\'s cache');
      assert.equal((await api(a.ports.api, 'POST', '/v1/auth/logout', { token })).status, 204);
      const after = await api(b.ports.api, 'GET', '/v1/me/profile', { token });
      assert.equal(after.status, 401);
      assert.equal(after.json.error?.code, 'unauthorized');
    });

    test('a login lock earned on node A holds on node B', async () => {
      for (let i = 0; i < 2; i++) {
        const r = await api(a.ports.api, 'POST', '/v1/auth/login', { body: { username: 'cat@heron.test', password: 'wrong' } });
        assert.equal(r.status, 401);
      }
      const onB = await api(b.ports.api, 'POST', '/v1/auth/login', { body: { username: 'cat@heron.test', password: PASSWORD } });
      assert.equal(onB.status, 429, JSON.stringify(onB.json));
      assert.equal(onB.json.error?.code, 'login_throttled');
      assert.ok(Number(onB.headers.get('retry-after')) > 0);
    });

    test('per-IP connection caps count both nodes: two MX sessions on A, a third on B gets 421', async () => {
      const greet = (port: number) =>
        new Promise<{ socket: net.Socket; line: string }>((resolve, reject) => {
          const socket = net.connect(port, '127.0.0.1');
          socket.once('error', reject);
          socket.once('data', (d) => resolve({ socket, line: d.toString() }));
        });
      const held = [await greet(a.ports.smtp), await greet(a.ports.smtp)];
      try {
        for (const h of held) assert.match(h.line, /^220 /);
        const third = await greet(b.ports.smtp);
        third.socket.destroy();
        assert.match(third.line, /^421 4\.7\.0 /);
      } finally {
        for (const h of held) h.socket.destroy();
      }
      // Released on close: B admits again once A's sessions are gone.
      await new Promise((r) => setTimeout(r, 300));
      const again = await greet(b.ports.smtp);
      again.socket.destroy();
      assert.match(again.line, /^220 /);
    });

    test('a domain added with the CLI while the nodes run: B accepts its mail, A signs its submissions with the new DKIM key', async () => {
      for (const args of [['domain', 'add', 'later.test'], ['user', 'add', 'dan@later.test', '--password', PASSWORD]]) {
        const r = cluster.cli(args);
        assert.equal(r.status, 0, r.stderr);
      }
      const submission = nodemailer.createTransport({
        host: '127.0.0.1',
        port: a.ports.submission,
        secure: false,
        requireTLS: true,
        tls: { rejectUnauthorized: false },
        auth: { user: 'dan@later.test', pass: PASSWORD },
      });
      await submission.sendMail({ from: 'dan@later.test', to: 'ann@heron.test', subject: 'signed by a new domain', text: 'hi' });
      const mx = nodemailer.createTransport({ host: '127.0.0.1', port: b.ports.smtp, secure: false, ignoreTLS: true, name: 'sender.example' });
      await mx.sendMail({ from: 'x@remote.example', to: 'dan@later.test', subject: 'to the new domain', text: 'hi' });
      const client = await imapClient(b.ports.imap, 'ann@heron.test', PASSWORD);
      try {
        await client.mailboxOpen('INBOX');
        const [uid] = (await client.search({ subject: 'signed by a new domain' }, { uid: true })) || [];
        assert.ok(uid, 'delivered');
        const msg = await client.fetchOne(String(uid), { headers: ['dkim-signature'] }, { uid: true });
        assert.match(String(msg && msg.headers), /d=later\.test/);
      } finally {
        await client.logout().catch(() => undefined);
      }
    });

    test('heron secret rotate jwt: every node refuses the old tokens at once and signs new ones', async () => {
      const before = await api(a.ports.api, 'POST', '/v1/auth/login', { body: { username: 'bob@heron.test', password: PASSWORD } });
      const old = before.json.token as string;
      assert.equal((await api(b.ports.api, 'GET', '/v1/me/profile', { token: old })).status, 200);
      const r = cluster.cli(['secret', 'rotate', 'jwt']);
      assert.equal(r.status, 0, r.stderr);
      for (const node of [a, b]) assert.equal((await api(node.ports.api, 'GET', '/v1/me/profile', { token: old })).status, 401);
      const fresh = await api(b.ports.api, 'POST', '/v1/auth/login', { body: { username: 'bob@heron.test', password: PASSWORD } });
      assert.equal((await api(a.ports.api, 'GET', '/v1/me/profile', { token: fresh.json.token as string })).status, 200, 'a token from B verifies on A');
    });

    test('the gateway spreads requests over both API nodes; with one stopped it routes to the other, losing none; heron services shows it', async () => {
      const login = await api(gw.ports.api, 'POST', '/v1/auth/login', { body: { username: 'ann@heron.test', password: PASSWORD } });
      assert.equal(login.status, 200, JSON.stringify(login.json));
      const token = login.json.token as string;
      const servedBy = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const r = await api(gw.ports.api, 'GET', '/v1/me/profile', { token });
        assert.equal(r.status, 200);
        servedBy.add(r.headers.get('x-heron-instance') ?? '');
      }
      assert.equal(servedBy.size, 2, 'round-robin over both instances');
      const listed = cluster.cli(['services']);
      assert.equal(listed.status, 0, listed.stderr);
      assert.equal(listed.stdout.match(/ up /g)?.length, 3, listed.stdout);

      // kill -9: no goodbye; the gateway learns from the refused connection and retries on A.
      const bPid = b.process.child.pid;
      await b.stop('SIGKILL');
      for (let i = 0; i < 10; i++) {
        const r = await api(gw.ports.api, 'GET', '/v1/me/profile', { token });
        assert.equal(r.status, 200, `request ${i} after the kill`);
        const sent = await api(gw.ports.api, 'POST', '/v1/contacts', { token, body: { name: `C${i}`, email: `c${i}@x.test` } });
        assert.equal(sent.status, 201, `POST ${i} after the kill: ${JSON.stringify(sent.json)}`);
      }
      // Two missed heartbeats (1 s each) and the registry shows B down.
      await new Promise((r) => setTimeout(r, 2_600));
      const after = cluster.cli(['services']);
      assert.match(after.stdout, new RegExp(`-${bPid}-\\S+\\s+down`), after.stdout);
      assert.equal(after.stdout.match(/ up /g)?.length, 2, after.stdout);

      // A clean stop leaves the registry at once.
      await a.stop('SIGTERM');
      const gone = cluster.cli(['services']);
      assert.doesNotMatch(gone.stdout, new RegExp(`-${a.process.child.pid}-`), gone.stdout);
      const none = await api(gw.ports.api, 'GET', '/v1/me/profile', { token });
      assert.equal(none.status, 503);
      assert.equal(none.json.error?.code, 'service_unavailable');
    });
  });
}

clusterSuite('many nodes on one store (shared SQLite data directory) and one Redis', null, false);

let jongodb: JongodbServer | null = null;
clusterSuite(
  'many nodes on one store (the MongoDB-compatible test server) and one Redis',
  {
    async env() {
      jongodb = await startJongodb();
      return { HERON_STORE: 'mongodb', HERON_MONGODB_URI: jongodb.uri(testDatabaseName('cluster')) };
    },
    async stop() {
      await jongodb?.stop();
    },
  },
  !haveJongodb() && 'no jongodb binary for this platform',
);
