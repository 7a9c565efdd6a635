import { Counter, Gauge, type Registry } from 'prom-client';

export interface ImapMetrics {
  connections: Counter<'secure'>;
  activeConnections: Gauge<string>;
  idleSessions: Gauge<string>;
  commands: Counter<'command'>;
  errors: Counter<'command' | 'code'>;
  authFailures: Counter<string>;
}

/** Metrics live in the registry the composition root hands in; the two listeners share them. */
export function createImapMetrics(registry: Registry, prefix = 'heron_imap_'): ImapMetrics {
  const get = <T>(name: string, make: () => T): T => (registry.getSingleMetric(prefix + name) as T | undefined) ?? make();
  const registers = [registry];
  return {
    connections: get('connections_total', () => new Counter({ name: prefix + 'connections_total', help: 'IMAP connections accepted', labelNames: ['secure'], registers })),
    activeConnections: get('active_connections', () => new Gauge({ name: prefix + 'active_connections', help: 'IMAP connections open now', registers })),
    idleSessions: get('idle_sessions', () => new Gauge({ name: prefix + 'idle_sessions', help: 'IMAP sessions in IDLE now', registers })),
    commands: get('commands_total', () => new Counter({ name: prefix + 'commands_total', help: 'IMAP commands run, by command', labelNames: ['command'], registers })),
    errors: get('errors_total', () => new Counter({ name: prefix + 'errors_total', help: 'IMAP commands answered NO or BAD, by response code', labelNames: ['command', 'code'], registers })),
    authFailures: get('auth_failures_total', () => new Counter({ name: prefix + 'auth_failures_total', help: 'Failed IMAP logins', registers })),
  };
}
