import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname as machineHostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { loadConfig, type Config } from '../../config/index.js';
import { parseAddress } from '../../gateway/wellknown/index.js';
import { ensureDkimKey } from '../dkim-keys.js';
import { dnsRecordSet, formatDnsRecord } from '../dns-records.js';
import { openStore } from '../open-store.js';
import { generatePassword } from './generated-password.js';
import { parseCommand } from './parse-command.js';
import { createTerminal, type Terminal } from './terminal.js';
import { UsageError } from './usage-error.js';

interface Plan {
  address: string;
  domain: string;
  configPath: string;
  config: Config;
  fileContent: Record<string, unknown>;
  displayName: string;
}

function defaultHostname(domain: string): string {
  const own = machineHostname().toLowerCase();
  // The machine's own name when it is a full name in the mail domain, else mail.<domain>.
  return own.includes('.') && own.endsWith(`.${domain}`) ? own : `mail.${domain}`;
}

function plan(argv: string[]): Plan | null {
  const parsed = parseCommand('quickstart', argv, {
    hostname: { type: 'string' },
    name: { type: 'string' },
    'data-dir': { type: 'string' },
    'no-acme': { type: 'boolean' },
    'acme-email': { type: 'string' },
  });
  if (!parsed) return null;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('usage: heron quickstart <you@example.com> [--hostname mail.example.com]');
  const addr = parseAddress(positionals[0]);
  if (!addr) throw new UsageError(`not an address: ${positionals[0]}`);
  const hostname = ((values.hostname as string | undefined) ?? defaultHostname(addr.domain)).toLowerCase();
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(hostname)) throw new UsageError(`--hostname: not a full host name: ${hostname}`);
  const configPath = resolve((values.config as string | undefined) ?? process.env.HERON_CONFIG ?? 'heron.json');
  if (existsSync(configPath)) throw new UsageError(`${configPath} already exists: quickstart sets up a new server (remove the file to start over)`);
  const dataDir = resolve((values['data-dir'] as string | undefined) ?? process.env.HERON_DATA_DIR ?? 'data');
  const acme = !values['no-acme'];
  // Ports and other settings come from the environment as usual; the file records them.
  const config = loadConfig({ env: { ...process.env, HERON_DATA_DIR: dataDir, HERON_HOSTNAME: hostname, HERON_DOMAINS: addr.domain }, file: null });
  config.tls.acme.enabled = acme;
  const fileContent: Record<string, unknown> = {
    hostname,
    domains: [addr.domain],
    dataDir,
    ports: config.ports,
    tls: acme ? { acme: { enabled: true, ...(values['acme-email'] ? { email: values['acme-email'] } : {}) } } : {},
  };
  return { address: addr.address, domain: addr.domain, configPath, config, fileContent, displayName: (values.name as string | undefined) ?? '' };
}

/** Refuses a data directory that already holds something: quickstart never adopts old data. */
function checkDataDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`${dir} is not empty: quickstart sets up a new server (use --data-dir for another place)`);
}

/**
 * `heron quickstart`: everything is made in a staging copy of the data directory and a temporary
 * config file; only when all of it worked is the data directory renamed into place and the
 * config file linked in (link fails if the file appeared meanwhile). A failure leaves nothing.
 */
export async function quickstartCommand(argv: string[]): Promise<number> {
  const p = plan(argv);
  if (!p) return 0;
  const { config } = p;
  const sqlite = config.store.kind === 'sqlite';
  if (sqlite) checkDataDir(config.dataDir);
  const tag = randomBytes(4).toString('hex');
  const staging = sqlite ? `${config.dataDir}.quickstart-${tag}` : config.dataDir;
  const tmpConfig = `${p.configPath}.quickstart-${tag}`;
  const password = generatePassword();
  let renamed = false;
  try {
    mkdirSync(dirname(config.dataDir), { recursive: true });
    const store = await openStore({ ...config, dataDir: staging }, { notifications: false });
    let dkim;
    try {
      await store.users.addDomain(p.domain);
      dkim = await ensureDkimKey(store.keys, p.domain);
      await store.users.createUser({
        username: p.address.slice(0, p.address.lastIndexOf('@')),
        address: p.address,
        password,
        displayName: p.displayName,
        verified: true,
        admin: true,
        quota: config.limits.defaultQuota,
      });
    } finally {
      await store.close();
    }
    mkdirSync(dirname(p.configPath), { recursive: true });
    writeFileSync(tmpConfig, JSON.stringify(p.fileContent, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    if (sqlite) {
      checkDataDir(config.dataDir);
      if (existsSync(config.dataDir)) rmdirSync(config.dataDir);
      renameSync(staging, config.dataDir);
      renamed = true;
    }
    linkSync(tmpConfig, p.configPath);
    unlinkSync(tmpConfig);
    printSummary(createTerminal(process.stdout), p, password, dnsRecordSet(config, p.domain, dkim));
    return 0;
  } catch (err) {
    if (renamed) renameSync(config.dataDir, staging);
    if (sqlite) rmSync(staging, { recursive: true, force: true });
    rmSync(tmpConfig, { force: true });
    if ((err as { code?: string }).code === 'EEXIST') throw new UsageError(`${p.configPath} appeared while setting up: nothing was changed`);
    throw err;
  }
}

function printSummary(t: Terminal, p: Plan, password: string, records: ReturnType<typeof dnsRecordSet>): void {
  const { config } = p;
  const h = config.hostname;
  const out: string[] = [];
  const section = (title: string) => out.push('', t.bold(title));
  out.push(`${t.green('✓')} Heron is set up for ${t.bold(p.domain)} on ${t.bold(h)}`);
  out.push(`  config file  ${p.configPath}`, `  data         ${config.dataDir}`);
  section('Your account (an administrator)');
  out.push(`  address   ${p.address}`, `  password  ${t.bold(password)}`);
  out.push(t.yellow('  Write the password down now: it is shown only this once (change it with: heron user passwd).'));
  section(`DNS records to publish for ${p.domain}`);
  out.push(`  ${h}. IN A <this server's IPv4 address>   (and AAAA for IPv6; ask your provider for a PTR record back to ${h})`);
  for (const r of records) out.push(`  ${formatDnsRecord(r)}`);
  section('Mail clients');
  out.push('  Thunderbird, Outlook, Apple Mail: enter just the address and the password; the settings are found');
  out.push(`  automatically (autoconfig.${p.domain}, autodiscover.${p.domain}) once the DNS records are published.`);
  const ports = config.ports;
  const rows: string[] = [];
  if (ports.imaps) rows.push(`  IMAP  ${h}  port ${ports.imaps}  SSL/TLS    user ${p.address}`);
  if (ports.imap) rows.push(`  IMAP  ${h}  port ${ports.imap}  STARTTLS   user ${p.address}`);
  if (ports.submissions) rows.push(`  SMTP  ${h}  port ${ports.submissions}  SSL/TLS    user ${p.address}`);
  if (ports.submission) rows.push(`  SMTP  ${h}  port ${ports.submission}  STARTTLS   user ${p.address}`);
  out.push('  By hand:', ...rows.map((r) => `  ${r}`));
  if (ports.https) {
    const base = `https://${h}${ports.https === 443 ? '' : `:${ports.https}`}`;
    out.push(`  iPhone, iPad, Mac: open ${base}/apple.mobileconfig?emailaddress=${encodeURIComponent(p.address)}`);
  }
  section('Certificates');
  out.push(
    config.tls.acme.enabled
      ? `  From Let's Encrypt for ${h} and the names above, as soon as DNS points here and port ${ports.http || 80} is open.`
      : `  Self-signed until you set tls.cert and tls.key in ${p.configPath} (clients will warn).`,
  );
  section('Next');
  out.push(`  1. Publish the DNS records and open ports ${[ports.smtp, ports.imaps, ports.imap, ports.submissions, ports.submission, ports.http, ports.https].filter(Boolean).join(', ')}.`);
  out.push(`  2. Start the server:   ${t.cyan('npm start')}   (or: heron start)`);
  out.push(`  3. Check everything:   ${t.cyan(`heron doctor ${p.domain}`)}`);
  console.log(out.join('\n'));
}
