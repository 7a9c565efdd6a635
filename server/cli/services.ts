import type { Config } from '../../config/index.js';
import { isAlive, type ServiceInstance } from '../../domain/index.js';
import { createCluster } from '../cluster/index.js';

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
}

/** One line per instance: id, state, roles, API URL, ports, last heartbeat. */
export function formatServices(list: ServiceInstance[], missed: number, now = Date.now()): string[] {
  if (list.length === 0) return ['no instances registered'];
  const rows = list.map((i) => [
    i.id,
    isAlive(i, now, missed) ? 'up' : 'down',
    i.roles.join(','),
    i.apiUrl ?? '-',
    Object.entries(i.ports)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ') || '-',
    `heartbeat ${age(now - i.lastHeartbeat)} ago`,
  ]);
  const header = ['INSTANCE', 'STATE', 'ROLES', 'API', 'PORTS', 'LAST SEEN'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  return [header, ...rows].map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '));
}

/** `heron services`: what the service registry sees (Redis). */
export async function servicesCommand(config: Config, opts: { json?: boolean } = {}): Promise<void> {
  if (!config.redisUrl) {
    console.log('no service registry: HERON_REDIS_URL is not set (a single node runs every role in one process)');
    return;
  }
  const cluster = createCluster(config);
  try {
    const list = await cluster.registry.list();
    if (opts.json) console.log(JSON.stringify(list.map((i) => ({ ...i, up: isAlive(i, Date.now(), config.cluster.missedHeartbeats) })), null, 2));
    else for (const line of formatServices(list, config.cluster.missedHeartbeats)) console.log(line);
  } finally {
    await cluster.close();
  }
}
