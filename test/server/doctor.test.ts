import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, baseEnv, freePort, heronCli, startHeronProcess, type HeronProcess } from '../helpers/heron-process.js';
import { createTestCa, type TestCa } from '../helpers/test-ca.js';
import { dnsmasqOptions, startDnsmasq, type LocalDns } from '../helpers/dnsmasq.js';
import { startSntpServer } from '../helpers/sntp-server.js';
import { ptrName } from '../../server/doctor/dns.js';

interface Check {
  group: string;
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'heron-doctor-'));
let ca: TestCa;
let env: NodeJS.ProcessEnv;
let zone: string[];
let heron: HeronProcess | undefined;
const stops: Array<() => Promise<void>> = [];

before(async () => {
  ca = createTestCa();
  const leaf = ca.issue(['mail.example.test', 'example.test', 'autoconfig.example.test', 'autodiscover.example.test', 'mta-sts.example.test']);
  const dataDir = join(dir, 'data');
  env = baseEnv(dataDir, {
    HERON_HOSTNAME: 'mail.example.test',
    HERON_DOMAINS: 'example.test',
    HERON_SMTP_PORT: String(await freePort()),
    HERON_IMAPS_PORT: String(await freePort()),
    HERON_SUBMISSIONS_PORT: String(await freePort()),
    HERON_HTTPS_PORT: String(await freePort()),
    HERON_TLS_CERT: leaf.certPath,
    HERON_TLS_KEY: leaf.keyPath,
    HERON_MTA_STS_MODE: 'enforce',
  });
  const dns = heronCli(['domain', 'dns', 'example.test'], env);
  assert.equal(dns.status, 0, dns.stderr);
  zone = dns.stdout.trim().split('\n');
  heron = startHeronProcess(env);
  await heron.waitFor(/Heron is running/);
});

after(async () => {
  for (const s of stops.reverse()) await s();
  if (heron) {
    heron.child.kill('SIGTERM');
    await heron.exited;
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(ca.dir, { recursive: true, force: true });
});

/** `heron doctor` (async: the DNS and NTP servers answering it run in this process). */
async function doctorText(dns: LocalDns, ntp: string, extraEnv: NodeJS.ProcessEnv = {}, extraArgs: string[] = []): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'server', 'cli.ts'), 'doctor', 'example.test', '--dns', dns.server, '--ntp', ntp, ...extraArgs], {
      env: { ...env, NODE_EXTRA_CA_CERTS: ca.certPath, ...extraEnv },
      cwd: REPO_ROOT,
      timeout: 120_000,
    });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    assert.ok(e.stdout, `doctor printed nothing: ${e.stderr}`);
    return { code: e.code ?? -1, stdout: e.stdout! };
  }
}

/** `heron doctor --json`. */
async function doctor(dns: LocalDns, ntp: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; checks: Check[] }> {
  const r = await doctorText(dns, ntp, extraEnv, ['--json']);
  return { code: r.code, checks: JSON.parse(r.stdout) as Check[] };
}

const failed = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => c.name);

test('with every record published, a trusted certificate, PTR and a right clock, doctor passes (exit 0)', async () => {
  const dns = await startDnsmasq(['--local=/example.test/', '--host-record=mail.example.test,127.0.0.1', ...dnsmasqOptions(zone)]);
  stops.push(() => dns.stop());
  const ntp = await startSntpServer(0);
  stops.push(() => ntp.close());
  const r = await doctor(dns, ntp.server);
  assert.deepEqual(failed(r.checks), []);
  assert.equal(r.code, 0);
  const groups = new Set(r.checks.map((c) => c.group));
  assert.deepEqual([...groups].sort(), ['certificate', 'clock', 'dns', 'listeners', 'ptr']);
  assert.ok(r.checks.some((c) => c.name === 'MX example.test' && c.ok));
  assert.ok(r.checks.some((c) => c.name === 'PTR 127.0.0.1' && c.ok));
  assert.ok(r.checks.some((c) => c.name.startsWith('certificate for mta-sts.example.test') && c.ok));
});

test('wrong or missing records, a wrong PTR, a listener down, an untrusted certificate and a wrong clock each fail with a fix (exit 1)', async () => {
  const kept = zone.filter((l) => !l.includes('_domainkey') && !l.startsWith('example.test. IN MX') && !l.startsWith('_mta-sts.'));
  // Authoritative for example.test: a name it does not have is NXDOMAIN, as on a real server.
  const dns = await startDnsmasq([
    '--local=/example.test/',
    // The host name's address maps back to another name.
    '--cname=mail.example.test,host9.example.net',
    '--host-record=host9.example.net,127.0.0.9',
    '--mx-host=example.test,mx.elsewhere.test,10',
    '--txt-record=_mta-sts.example.test,v=STSv1; id=stale1',
    ...dnsmasqOptions(kept),
  ]);
  stops.push(() => dns.stop());
  const ntp = await startSntpServer(3_600_000);
  stops.push(() => ntp.close());
  // A listener the configuration names but nothing serves; and without our CA the certificate is untrusted.
  const r = await doctor(dns, ntp.server, { HERON_IMAP_PORT: String(await freePort()), NODE_EXTRA_CA_CERTS: '' });
  assert.equal(r.code, 1);
  const bad = new Map(r.checks.filter((c) => !c.ok).map((c) => [c.name, c]));
  assert.match(bad.get('MX example.test')?.detail ?? '', /mx\.elsewhere\.test/);
  assert.match(bad.get('MX example.test')?.fix ?? '', /publish: example\.test\. IN MX 10 mail\.example\.test\./);
  assert.match(bad.get('TXT heron._domainkey.example.test')?.detail ?? '', /no v=DKIM1 record/);
  assert.match(bad.get('TXT _mta-sts.example.test')?.detail ?? '', /id=stale1 but the policy served now has id=/);
  assert.match(bad.get('PTR 127.0.0.9')?.detail ?? '', /-> host9\.example\.net/);
  assert.ok([...bad.keys()].some((n) => /^imap port \d+$/.test(n)), 'the listener that is down');
  assert.match(bad.get('clock')?.detail ?? '', /behind 127\.0\.0\.1:\d+ by 3\d{3}\.\d+ s/);
  assert.match(bad.get('certificate for mail.example.test')?.detail ?? '', /not trusted/);
  for (const c of bad.values()) assert.ok(c.fix, `${c.name} says what to fix`);
  // What is right stays right.
  assert.ok(r.checks.some((c) => c.name === 'TXT example.test' && c.ok), 'SPF');
  assert.ok(r.checks.some((c) => c.name === 'SRV _imaps._tcp.example.test' && c.ok));
});

test('the human form lists each check under its group, says what to fix, and ends with the count', async () => {
  // Every record but DMARC, so one check fails.
  const dns = await startDnsmasq(['--local=/example.test/', '--host-record=mail.example.test,127.0.0.1', ...dnsmasqOptions(zone.filter((l) => !l.startsWith('_dmarc.')))]);
  stops.push(() => dns.stop());
  const ntp = await startSntpServer(0);
  stops.push(() => ntp.close());
  const r = await doctorText(dns, ntp.server);
  assert.equal(r.code, 1);
  assert.ok(!r.stdout.includes(String.fromCharCode(27)), 'no colours when the output is not a terminal');
  for (const title of ['Listeners', 'Certificate', 'DNS records', 'Host name and PTR', 'Clock']) assert.match(r.stdout, new RegExp(`^${title}$`, 'm'));
  assert.match(r.stdout, /^ {2}✓ MX example\.test: points to mail\.example\.test$/m);
  assert.match(r.stdout, /^ {2}✗ TXT _dmarc\.example\.test: no v=DMARC1 record\n {6}fix: publish: _dmarc\.example\.test\. IN TXT "v=DMARC1;/m);
  const total = r.stdout.match(/^ {2}[✓✗] /gm)!.length;
  assert.match(r.stdout.trimEnd().split('\n').at(-1)!, new RegExp(`^1 of ${total} checks failed\\.$`));
  const help = heronCli(['doctor', '--help'], env);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Exit code 0 only when every check passes/);
});

test('PTR names are built from the address itself, never from /etc/hosts (RFC 1035 3.5, RFC 3596 2.5)', () => {
  assert.equal(ptrName('192.0.2.10'), '10.2.0.192.in-addr.arpa');
  assert.equal(ptrName('2001:db8::1'), `1.${'0.'.repeat(23)}8.b.d.0.1.0.0.2.ip6.arpa`);
  assert.equal(ptrName('::ffff:192.0.2.1'), `1.0.2.0.0.0.0.c.f.f.f.f.${'0.'.repeat(20)}ip6.arpa`);
});
