import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { referenceMissing } from './postfix-dovecot.js';

const PACKAGES = ['postfix', 'dovecot-core', 'dovecot-imapd', 'dovecot-lmtpd'];

/**
 * Installs Debian's Postfix and Dovecot when missing (as root, under the shared apt lock) and
 * returns what is still missing afterwards. Postfix is preseeded to "No configuration" and no
 * daemon starts on install (policy-rc.d answers 101 here; one is created for the install if
 * absent), so nothing takes the system's port 25 or 143.
 */
export function ensureReferenceInstalled(log: (line: string) => void): string[] {
  let missing = referenceMissing();
  if (missing.length === 0 || userInfo().uid !== 0) return missing;
  log(`installing ${PACKAGES.join(' ')} (apt-get, about 10 s)`);
  const policy = '/usr/sbin/policy-rc.d';
  const madePolicy = !existsSync(policy);
  const script = [
    madePolicy ? `printf '#!/bin/sh\\nexit 101\\n' > ${policy} && chmod 755 ${policy}` : 'true',
    "echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections",
    `DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${PACKAGES.join(' ')} || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${PACKAGES.join(' ')})`,
  ].join(' && ');
  const r = spawnSync('flock', ['/tmp/apt.lock', 'sh', '-c', script], { encoding: 'utf8', timeout: 600_000 });
  if (madePolicy) spawnSync('rm', ['-f', policy]);
  if (r.status !== 0) log(`apt-get failed: ${(r.stderr || r.stdout).slice(-500)}`);
  missing = referenceMissing();
  return missing;
}
