import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

function reuse<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export interface MxMetrics {
  connections: Counter<string>;
  active: Gauge<string>;
  recipients: Counter<string>;
  messages: Counter<string>;
  bytes: Histogram<string>;
}

/** Looked up before creation so a second MX listener can share the registry. */
export function mxMetrics(registry: Registry): MxMetrics {
  const registers = [registry];
  return {
    connections: reuse(registry, 'heron_mx_connections_total', () =>
      new Counter({ name: 'heron_mx_connections_total', help: 'MX connections by result', labelNames: ['result'], registers })),
    active: reuse(registry, 'heron_mx_connections_active', () =>
      new Gauge({ name: 'heron_mx_connections_active', help: 'Open MX sessions', registers })),
    recipients: reuse(registry, 'heron_mx_recipients_total', () =>
      new Counter({ name: 'heron_mx_recipients_total', help: 'RCPT TO by result', labelNames: ['result'], registers })),
    messages: reuse(registry, 'heron_mx_messages_total', () =>
      new Counter({ name: 'heron_mx_messages_total', help: 'Messages by final reply code', labelNames: ['code'], registers })),
    bytes: reuse(registry, 'heron_mx_message_bytes', () =>
      new Histogram({
        name: 'heron_mx_message_bytes',
        help: 'Size of received messages',
        buckets: [1024, 10240, 102400, 1048576, 10485760, 52428800],
        registers,
      })),
  };
}
