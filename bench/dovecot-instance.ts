/**
 * Debian's Dovecot 2.3 as the yardstick for the IMAP bench: a throwaway instance (implicit TLS
 * on a free loopback port, one passwd-file user, Maildir) started from a config written here.
 * Needs root (installs dovecot-imapd when missing); returns null when it cannot run.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCommand } from '../test/helpers/debian.js';
import { makeSelfSignedCert } from '../test/helpers/tls.js';
import { freePort, waitForPort } from './ingest/ports.js';

export interface DovecotInstance {
  port: number;
  /** The Maildir to fill before the first SELECT. */
  maildir: string;
  /** Hands the Maildir to the mail user (call after filling). */
  own(): void;
  close(): void;
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  if (!statSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name), uid, gid);
}

export async function startDovecot(dir: string, user: string, pass: string): Promise<DovecotInstance | null> {
  if (process.getuid?.() !== 0) return null;
  let dovecot: string;
  try {
    dovecot = ensureCommand('dovecot', 'dovecot-imapd');
  } catch {
    return null;
  }
  // Dovecot's auth and mail processes run as other users: they must reach the files below.
  chmodSync(dir, 0o755);
  const root = join(dir, 'dovecot');
  const home = join(root, 'home', user);
  const maildir = join(home, 'Maildir');
  mkdirSync(join(root, 'run'), { recursive: true });
  mkdirSync(join(root, 'state'), { recursive: true });
  mkdirSync(maildir, { recursive: true });
  const tls = makeSelfSignedCert(root);
  writeFileSync(join(root, 'cert.pem'), tls.cert);
  writeFileSync(join(root, 'key.pem'), tls.key, { mode: 0o600 });
  writeFileSync(join(root, 'passwd'), `${user}:{PLAIN}${pass}::::::\n`);
  const port = await freePort();
  const conf = join(root, 'dovecot.conf');
  writeFileSync(
    conf,
    [
      `base_dir = ${join(root, 'run')}`,
      `state_dir = ${join(root, 'state')}`,
      `log_path = ${join(root, 'dovecot.log')}`,
      'protocols = imap',
      'listen = 127.0.0.1',
      'ssl = yes',
      `ssl_cert = <${join(root, 'cert.pem')}`,
      `ssl_key = <${join(root, 'key.pem')}`,
      'auth_mechanisms = plain login',
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN ${join(root, 'passwd')}\n}`,
      `userdb {\n  driver = static\n  args = uid=nobody gid=nogroup home=${join(root, 'home')}/%u\n}`,
      'mail_location = maildir:~/Maildir',
      'default_internal_user = dovecot',
      'default_login_user = dovenull',
      'first_valid_uid = 100',
      `service imap-login {\n  inet_listener imap {\n    port = 0\n  }\n  inet_listener imaps {\n    port = ${port}\n    ssl = yes\n  }\n}`,
      '',
    ].join('\n'),
  );
  execFileSync(dovecot, ['-c', conf], { stdio: 'ignore' });
  try {
    await waitForPort(port, 10_000);
  } catch {
    execFileSync(dovecot, ['-c', conf, 'stop'], { stdio: 'ignore' });
    return null;
  }
  return {
    port,
    maildir,
    own: () => {
      const id = (flag: string): number => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
      chownTree(join(root, 'home'), id('-u'), id('-g'));
    },
    close: () => {
      try {
        execFileSync(dovecot, ['-c', conf, 'stop'], { stdio: 'ignore' });
      } catch {
        // already stopped
      }
    },
  };
}
