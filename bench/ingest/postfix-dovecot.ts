import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, openSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';
import { pidFromFile } from './process-cpu.js';

/**
 * The reference: Debian's Postfix (smtpd -> queue -> lmtp) delivering to Debian's Dovecot over
 * LMTP, both with their shipped defaults except what running side by side needs: loopback ports
 * of their own, every file in a temp dir (config, queue, mail, logs), no chroot (the chroot would
 * need a copy of /etc in the queue dir). Nothing under /etc is read or written except Postfix's
 * compiled-in meta_directory (postfix-files), which `postfix check` only reads.
 */
export interface ReferenceMta {
  smtpPort: number;
  imapPort: number;
  /** IMAP login of the one mailbox. */
  user: string;
  password: string;
  recipient: string;
  dir: string;
  /** The two master processes (their children are the rest of each system). */
  pids(): number[];
  stop(): Promise<void>;
}

const DOMAIN = 'bench.test';
const USER = 'bench';
const PASSWORD = 'bench-password';

/** Services the mail path needs, from Debian's master.cf, with chroot off and smtpd on our port. */
function masterCf(smtpPort: number): string {
  const rows: Array<[string, string, string, string, string, string, string]> = [
    [`127.0.0.1:${smtpPort}`, 'inet', 'n', '-', 'n', '-', 'smtpd'],
    ['pickup', 'unix', 'n', '-', 'n', '60', '1 pickup'],
    ['cleanup', 'unix', 'n', '-', 'n', '-', '0 cleanup'],
    ['qmgr', 'unix', 'n', '-', 'n', '300', '1 qmgr'],
    ['rewrite', 'unix', '-', '-', 'n', '-', '- trivial-rewrite'],
    ['bounce', 'unix', '-', '-', 'n', '-', '0 bounce'],
    ['defer', 'unix', '-', '-', 'n', '-', '0 bounce'],
    ['trace', 'unix', '-', '-', 'n', '-', '0 bounce'],
    ['verify', 'unix', '-', '-', 'n', '-', '1 verify'],
    ['flush', 'unix', 'n', '-', 'n', '1000?', '0 flush'],
    ['proxymap', 'unix', '-', '-', 'n', '-', '- proxymap'],
    ['showq', 'unix', 'n', '-', 'n', '-', '- showq'],
    ['error', 'unix', '-', '-', 'n', '-', '- error'],
    ['retry', 'unix', '-', '-', 'n', '-', '- error'],
    ['discard', 'unix', '-', '-', 'n', '-', '- discard'],
    ['lmtp', 'unix', '-', '-', 'n', '-', '- lmtp'],
    ['anvil', 'unix', '-', '-', 'n', '-', '1 anvil'],
    ['scache', 'unix', '-', '-', 'n', '-', '1 scache'],
    ['postlog', 'unix-dgram', 'n', '-', 'n', '-', '1 postlogd'],
  ];
  // The first row's last column holds only the command; the others carry maxproc + command.
  return rows
    .map(([name, type, priv, unpriv, chroot, wakeup, rest], i) => {
      const [maxproc, command] = i === 0 ? ['-', rest] : (rest.split(' ') as [string, string]);
      return [name, type, priv, unpriv, chroot, wakeup, maxproc, command].join('\t');
    })
    .join('\n') + '\n';
}

function mainCf(dir: string, lmtpPort: number): string {
  return [
    'compatibility_level = 3.6',
    `queue_directory = ${dir}/queue`,
    `data_directory = ${dir}/data`,
    'mail_owner = postfix',
    'setgid_group = postdrop',
    `maillog_file = ${dir}/postfix.log`,
    // postlogd writes only under these prefixes (default /var, /dev/stdout).
    `maillog_file_prefixes = ${dir}`,
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    'myhostname = postfix.bench.test',
    'mydestination =',
    'mynetworks = 127.0.0.0/8',
    'alias_maps =',
    'alias_database =',
    'biff = no',
    // Only the one mailbox exists, as in Heron's run (unknown users are refused at RCPT).
    `virtual_mailbox_domains = ${DOMAIN}`,
    `virtual_mailbox_maps = inline:{ ${USER}@${DOMAIN}=ok }`,
    `virtual_transport = lmtp:inet:127.0.0.1:${lmtpPort}`,
    'smtputf8_enable = no',
    '',
  ].join('\n');
}

function dovecotConf(dir: string, imapPort: number, lmtpPort: number): string {
  return `
protocols = imap lmtp
listen = 127.0.0.1
base_dir = ${dir}/dovecot-run
state_dir = ${dir}/dovecot-state
instance_name = heron-bench-${imapPort}
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%n
passdb {
  driver = static
  args = password=${PASSWORD}
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${dir}/mail/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
}
protocol lmtp {
  postmaster_address = postmaster@${DOMAIN}
}
`;
}

/** Daemons fork and keep the caller's pipes open, so output goes to a file rather than a pipe. */
function run(cmd: string, args: string[], outFile: string): void {
  const out = openSync(outFile, 'a');
  try {
    const r = spawnSync(cmd, args, { stdio: ['ignore', out, out], timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${readFileSync(outFile, 'utf8').slice(-1000)}`);
  } finally {
    closeSync(out);
  }
}

function userIds(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  const f = line?.split(':');
  if (!f) throw new Error(`no system user ${name}`);
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

/** What the reference needs and does not find (programs and system users). */
export function referenceMissing(): string[] {
  const missing: string[] = [];
  for (const [path, pkg] of [
    ['/usr/sbin/postfix', 'postfix'],
    ['/usr/sbin/smtp-source', 'postfix'],
    ['/usr/sbin/dovecot', 'dovecot-core'],
    ['/usr/lib/dovecot/lmtp', 'dovecot-lmtpd'],
    ['/usr/lib/dovecot/imap', 'dovecot-imapd'],
  ] as const) {
    if (!existsSync(path) && !missing.includes(pkg)) missing.push(pkg);
  }
  if (userInfo().uid !== 0) missing.push('root (Postfix and Dovecot drop privileges to their own users)');
  return missing;
}

/** Starts Dovecot, then Postfix, on free loopback ports; resolves once both accept connections. */
export async function startPostfixDovecot(): Promise<ReferenceMta> {
  const dir = mkdtempSync(join(tmpdir(), 'heron-bench-ref-'));
  // Dovecot's mail processes run as nobody and must reach the mail dir.
  chmodSync(dir, 0o755);
  const [smtpPort, imapPort, lmtpPort] = [await freePort(), await freePort(), await freePort()];
  for (const d of ['postfix', 'queue', 'data', 'dovecot-run', 'dovecot-state']) mkdirSync(join(dir, d));
  mkdirSync(join(dir, 'mail'));
  chownSync(join(dir, 'mail'), 65534, 65534);
  const postfixUser = userIds('postfix');
  chownSync(join(dir, 'data'), postfixUser.uid, postfixUser.gid);
  writeFileSync(join(dir, 'postfix', 'main.cf'), mainCf(dir, lmtpPort));
  writeFileSync(join(dir, 'postfix', 'master.cf'), masterCf(smtpPort));
  writeFileSync(join(dir, 'dovecot.conf'), dovecotConf(dir, imapPort, lmtpPort));
  const postfixConf = join(dir, 'postfix');

  const out = join(dir, 'start.out');
  run('/usr/sbin/dovecot', ['-c', join(dir, 'dovecot.conf')], out);
  let postfixStarted = false;
  const stop = async (): Promise<void> => {
    if (postfixStarted) spawnSync('/usr/sbin/postfix', ['-c', postfixConf, 'stop'], { stdio: 'ignore', timeout: 30_000 });
    spawnSync('/usr/bin/doveadm', ['-c', join(dir, 'dovecot.conf'), 'stop'], { stdio: 'ignore', timeout: 30_000 });
    // Both stop asynchronously; their pid files go when they are gone.
    for (let i = 0; i < 100 && (existsSync(join(dir, 'dovecot-run', 'master.pid')) || existsSync(join(dir, 'queue', 'pid', 'master.pid'))); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // `postfix check` creates the queue's subdirectories with their owners before the start.
    run('/usr/sbin/postfix', ['-c', postfixConf, 'check'], out);
    run('/usr/sbin/postfix', ['-c', postfixConf, 'start'], out);
    postfixStarted = true;
    await waitForPort(smtpPort, 20_000);
    await waitForPort(imapPort, 20_000);
  } catch (err) {
    const logs = ['postfix.log', 'dovecot.log'].map((f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8').slice(-2000) : '')).join('\n');
    await stop();
    throw new Error(`${(err as Error).message}\n${logs}`, { cause: err });
  }
  const pids = () =>
    [pidFromFile(join(dir, 'queue', 'pid', 'master.pid')), pidFromFile(join(dir, 'dovecot-run', 'master.pid'))].filter((p): p is number => p !== null);
  return { smtpPort, imapPort, user: USER, password: PASSWORD, recipient: `${USER}@${DOMAIN}`, dir, pids, stop };
}
