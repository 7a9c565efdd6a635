import { loadConfig } from '../../config/index.js';
import { listenerHost, runDoctor, type CheckResult } from '../doctor/index.js';
import { withStore } from './store-session.js';
import { parseCommand } from './parse-command.js';
import { createTerminal, type Terminal } from './terminal.js';
import { UsageError } from './usage-error.js';

const TITLES: Record<CheckResult['group'], string> = {
  listeners: 'Listeners',
  certificate: 'Certificate',
  dns: 'DNS records',
  ptr: 'Host name and PTR',
  clock: 'Clock',
};

function print(t: Terminal, results: CheckResult[]): void {
  let group: string | null = null;
  for (const r of results) {
    if (r.group !== group) {
      group = r.group;
      console.log(`\n${t.bold(TITLES[r.group])}`);
    }
    console.log(`  ${r.ok ? t.green('✓') : t.red('✗')} ${r.name}: ${r.ok ? t.dim(r.detail) : r.detail}`);
    if (!r.ok && r.fix) console.log(`      ${t.yellow('fix:')} ${r.fix}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`\n${failed === 0 ? t.green(`All ${results.length} checks passed.`) : t.red(`${failed} of ${results.length} checks failed.`)}`);
}

/** `heron doctor [domain]`: exit 0 only when every check passes. */
export async function doctorCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand('doctor', argv, { dns: { type: 'string' }, ntp: { type: 'string' }, host: { type: 'string' }, json: { type: 'boolean' } });
  if (!parsed) return 0;
  if (parsed.positionals.length > 1) throw new UsageError('usage: heron doctor [<domain>] [--dns host:port] [--ntp host[:port]]');
  const config = loadConfig(parsed.values.config !== undefined ? { file: parsed.values.config as string } : {});
  const results = await withStore(config, async ({ store }) => {
    // The configured domains count even before a server has started and created them.
    const local = [...new Set([...config.domains, ...(await store.users.listDomains()).map((d) => d.name)])];
    const wanted = parsed.positionals[0]?.toLowerCase();
    if (wanted && !local.includes(wanted)) throw new UsageError(`${wanted} is not a local domain`);
    const dns = (parsed.values.dns as string | undefined) ?? config.filters.dns;
    return runDoctor(config, {
      domains: wanted ? [wanted] : local,
      keys: store.keys,
      ...(dns ? { dns } : {}),
      ntp: (parsed.values.ntp as string | undefined) ?? 'pool.ntp.org',
      host: (parsed.values.host as string | undefined) ?? listenerHost(config),
    });
  });
  if (parsed.values.json) console.log(JSON.stringify(results, null, 2));
  else print(createTerminal(process.stdout), results);
  return results.every((r) => r.ok) ? 0 : 1;
}
