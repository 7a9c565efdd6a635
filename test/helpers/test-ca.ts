import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface IssuedCertificate {
  key: string;
  cert: string;
  keyPath: string;
  certPath: string;
}

export interface TestCa {
  /** The CA certificate (PEM) and its path, for clients to trust (ca option, NODE_EXTRA_CA_CERTS). */
  cert: string;
  certPath: string;
  /** A leaf certificate for these DNS names (or IP addresses), valid for `days` days. */
  issue(names: string[], opts?: { days?: number; dir?: string; file?: string }): IssuedCertificate;
  dir: string;
}

/** A throwaway certificate authority made with openssl, so tests can check real chains and names. */
export function createTestCa(name = 'Heron Test CA'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'heron-ca-'));
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caCert, '-days', '30', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { stdio: 'ignore' });
  let serial = 1;
  return {
    dir,
    cert: readFileSync(caCert, 'utf8'),
    certPath: caCert,
    issue(names, opts = {}) {
      const out = opts.dir ?? dir;
      const base = join(out, opts.file ?? `leaf-${serial}`);
      const ext = join(dir, `ext-${serial}.cnf`);
      const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
      writeFileSync(ext, `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
      execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${names[0]}`], { stdio: 'ignore' });
      execFileSync('openssl', ['x509', '-req', '-in', `${base}.csr`, '-CA', caCert, '-CAkey', caKey, '-set_serial', String(1000 + serial++),
        '-days', String(opts.days ?? 30), '-extfile', ext, '-out', `${base}.pem`], { stdio: 'ignore' });
      return { key: readFileSync(`${base}.key`, 'utf8'), cert: readFileSync(`${base}.pem`, 'utf8'), keyPath: `${base}.key`, certPath: `${base}.pem` };
    },
  };
}
