import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { REPO_ROOT, freePort, heronCli, startHeronProcess } from '../helpers/heron-process.js';

const root = mkdtempSync(join(tmpdir(), 'heron-quickstart-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A clean environment: no HERON_* from the caller, only the ports (quickstart writes them to the file). */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, HERON_LOG_LEVEL: 'info', HERON_MAILAUTH: 'off', HERON_BIND: '127.0.0.1', HERON_METRICS_PORT: '0', ...extra };
}

async function portsEnv(): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const name of ['SMTP', 'SUBMISSION', 'SUBMISSIONS', 'IMAP', 'IMAPS', 'API', 'HTTP', 'HTTPS']) env[`HERON_${name}_PORT`] = String(await freePort());
  return env;
}

test('quickstart on an empty directory, then the server started from it serves with the printed settings', async () => {
  const dir = join(root, 'fresh');
  mkdirSync(dir);
  const ports = await portsEnv();
  const q = heronCli(['quickstart', 'ann@example.test', '--hostname', 'mail.example.test', '--no-acme', '--name', 'Ann'], envWith(ports), { cwd: dir });
  assert.equal(q.status, 0, q.stderr);
  const out = q.stdout;
  const password = /password\s+(\S+)/.exec(out)?.[1];
  assert.match(password ?? '', /^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/, 'a generated password, shown once');
  // Every record kind the issue names, and the client settings.
  for (const re of [
    /example\.test\. IN MX 10 mail\.example\.test\./,
    /example\.test\. IN TXT "v=spf1 mx -all"/,
    /heron\._domainkey\.example\.test\. IN TXT "v=DKIM1; k=rsa; p=/,
    /_dmarc\.example\.test\. IN TXT "v=DMARC1;/,
    /_mta-sts\.example\.test\. IN TXT "v=STSv1; id=/,
    /_smtp\._tls\.example\.test\. IN TXT "v=TLSRPTv1;/,
    new RegExp(`_imaps\\._tcp\\.example\\.test\\. IN SRV 0 1 ${ports.HERON_IMAPS_PORT} mail\\.example\\.test\\.`),
    new RegExp(`_submissions\\._tcp\\.example\\.test\\. IN SRV 0 1 ${ports.HERON_SUBMISSIONS_PORT} mail\\.example\\.test\\.`),
    /autoconfig\.example\.test\. IN CNAME mail\.example\.test\./,
    /autodiscover\.example\.test\. IN CNAME mail\.example\.test\./,
    /mta-sts\.example\.test\. IN CNAME mail\.example\.test\./,
  ]) {
    assert.match(out, re);
  }
  const imapLine = new RegExp(`IMAP\\s+mail\\.example\\.test\\s+port (\\d+)\\s+SSL/TLS\\s+user ann@example\\.test`).exec(out);
  assert.ok(imapLine, out);
  assert.equal(imapLine[1], ports.HERON_IMAPS_PORT);
  assert.match(out, /heron doctor example\.test/);
  assert.ok(!out.includes(String.fromCharCode(27)), 'no colours when the output is not a terminal');

  const file = JSON.parse(readFileSync(join(dir, 'heron.json'), 'utf8')) as { hostname: string; domains: string[]; dataDir: string };
  assert.equal(file.hostname, 'mail.example.test');
  assert.deepEqual(file.domains, ['example.test']);
  assert.equal(file.dataDir, join(dir, 'data'));
  assert.deepEqual(readdirSync(dir).sort(), ['data', 'heron.json'], 'nothing else is left behind');

  // Started from that directory with nothing but the file: `npm start` is `heron start` from the
  // build, run here from source so the test does not depend on a fresh dist/.
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.equal(pkg.scripts.start, 'node dist/server/cli.js start');
  const heron = startHeronProcess(envWith({}), { cwd: dir });
  try {
    await heron.waitFor(/Heron is running/);
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: Number(imapLine[1]),
      secure: true,
      servername: 'mail.example.test',
      tls: { rejectUnauthorized: false },
      auth: { user: 'ann@example.test', pass: password! },
      logger: false,
    });
    await client.connect();
    const boxes = (await client.list()).map((b) => b.path);
    assert.ok(boxes.includes('INBOX'));
    await client.logout();

    // What Thunderbird fetches names the same settings.
    const res = await fetch(`http://127.0.0.1:${ports.HERON_HTTP_PORT}/mail/config-v1.1.xml?emailaddress=ann%40example.test`, { headers: { Host: 'autoconfig.example.test' } });
    assert.equal(res.status, 200);
    const xml = await res.text();
    assert.match(xml, new RegExp(`<hostname>mail\\.example\\.test</hostname>\\s*<port>${ports.HERON_IMAPS_PORT}</port>\\s*<socketType>SSL</socketType>`));
  } finally {
    heron.child.kill('SIGTERM');
    await heron.exited;
  }

  // A second quickstart refuses and changes nothing.
  const again = heronCli(['quickstart', 'bob@example.test', '--no-acme'], envWith(ports), { cwd: dir });
  assert.equal(again.status, 2);
  assert.match(again.stderr, /heron\.json already exists/);
  assert.equal(JSON.parse(readFileSync(join(dir, 'heron.json'), 'utf8')).hostname, 'mail.example.test');
});

test('quickstart refuses a data directory that holds something, and a bad address, creating nothing', async () => {
  const dir = join(root, 'occupied');
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'data', 'something'), 'x');
  const r = heronCli(['quickstart', 'ann@example.test', '--no-acme'], envWith(await portsEnv()), { cwd: dir });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /is not empty/);
  assert.equal(existsSync(join(dir, 'heron.json')), false);
  const bad = heronCli(['quickstart', 'not-an-address', '--no-acme'], envWith(await portsEnv()), { cwd: dir });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /not an address/);
});

test('a failure at the last step leaves nothing half-written', async () => {
  const dir = join(root, 'race');
  mkdirSync(dir);
  // A dangling link where the config goes: the existence check passes, the final exclusive link fails.
  symlinkSync(join(dir, 'nowhere'), join(dir, 'heron.json'));
  const r = heronCli(['quickstart', 'ann@example.test', '--no-acme'], envWith(await portsEnv()), { cwd: dir });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /nothing was changed/);
  assert.deepEqual(readdirSync(dir), ['heron.json'], 'no data directory, no temporary files');
});
