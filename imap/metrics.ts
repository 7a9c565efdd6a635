import { Counter, Gauge, type Registry } from 'prom-client';

export interface ImapMetrics {
  connections: Counter<'secure'>;
  activeConnections: Gauge<string>;
  commands: Counter<'hook'>;
  errors: Counter<'hook' | 'code'>;
  authFailures: Counter<string>;
}

/** Metrics live in the registry the composition root hands in (no default registry). */
export function createImapMetrics(registry: Registry, prefix = 'heron_imap_'): ImapMetrics {
  const existing = (name: string) => registry.getSingleMetric(prefix + name);
  // Two listeners (143 and 993) share one registry: reuse what the first one registered.
  return {
    connections: (existing('connections_total') as Counter<'secure'>) ??
      new Counter({ name: prefix + 'connections_total', help: 'IMAP connections accepted', labelNames: ['secure'], registers: [registry] }),
    activeConnections: (existing('active_connections') as Gauge<string>) ??
      new Gauge({ name: prefix + 'active_connections', help: 'IMAP connections open now', registers: [registry] }),
    commands: (existing('commands_total') as Counter<'hook'>) ??
      new Counter({ name: prefix + 'commands_total', help: 'IMAP commands handled, by hook', labelNames: ['hook'], registers: [registry] }),
    errors: (existing('errors_total') as Counter<'hook' | 'code'>) ??
      new Counter({ name: prefix + 'errors_total', help: 'IMAP commands answered NO by a hook, by response code', labelNames: ['hook', 'code'], registers: [registry] }),
    authFailures: (existing('auth_failures_total') as Counter<string>) ??
      new Counter({ name: prefix + 'auth_failures_total', help: 'Failed IMAP logins', registers: [registry] }),
  };
}
