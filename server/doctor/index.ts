import { Resolver } from 'node:dns/promises';
import type { Config } from '../../config/index.js';
import type { DkimKeyStore } from '../../domain/index.js';
import { dnsRecordSet } from '../dns-records.js';
import { fail, type CheckResult } from './check.js';
import { checkListeners } from './listeners.js';
import { checkCertificate } from './certificate.js';
import { checkDns, checkPtr } from './dns.js';
import { checkClock } from './clock.js';

export type { CheckResult } from './check.js';
export { listenerHost } from './listeners.js';

export interface DoctorOptions {
  domains: string[];
  keys: DkimKeyStore;
  /** host:port of the DNS server to ask; the system's otherwise. */
  dns?: string;
  ntp: string;
  /** Where the listeners are reached. */
  host: string;
}

/** Every check of `heron doctor`, in the order they are shown. */
export async function runDoctor(config: Config, opts: DoctorOptions): Promise<CheckResult[]> {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (opts.dns) resolver.setServers([opts.dns]);
  const results: CheckResult[] = [];
  results.push(...(await checkListeners(config, opts.host)));
  results.push(...(await checkCertificate(config, opts.host, opts.domains)));
  for (const domain of opts.domains) {
    const key = await opts.keys.get(domain);
    if (!key) {
      results.push(fail('dns', `DKIM key of ${domain}`, 'none made yet', `run: heron domain add ${domain}`));
      continue;
    }
    results.push(...(await checkDns(resolver, dnsRecordSet(config, domain, key), config.hostname)));
  }
  results.push(...(await checkPtr(resolver, config.hostname)));
  results.push(...(await checkClock(opts.ntp)));
  return results;
}
