import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

function reuse<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export interface OutboundMetrics {
  attempts: Counter<string>;
  recipients: Counter<string>;
  inFlight: Gauge<string>;
  duration: Histogram<string>;
  queued: Gauge<string>;
}

export function outboundMetrics(registry: Registry): OutboundMetrics {
  const registers = [registry];
  return {
    attempts: reuse(registry, 'heron_outbound_attempts_total', () =>
      new Counter({ name: 'heron_outbound_attempts_total', help: 'Delivery attempts by outcome (delivered, deferred, bounced, partial)', labelNames: ['outcome'], registers })),
    recipients: reuse(registry, 'heron_outbound_recipients_total', () =>
      new Counter({ name: 'heron_outbound_recipients_total', help: 'Recipients by result (delivered, deferred, bounced, expired)', labelNames: ['result'], registers })),
    inFlight: reuse(registry, 'heron_outbound_in_flight', () =>
      new Gauge({ name: 'heron_outbound_in_flight', help: 'Queue entries being delivered now', registers })),
    duration: reuse(registry, 'heron_outbound_attempt_seconds', () =>
      new Histogram({ name: 'heron_outbound_attempt_seconds', help: 'Time per delivery attempt, DNS included', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers })),
    queued: reuse(registry, 'heron_outbound_queue_entries', () =>
      new Gauge({ name: 'heron_outbound_queue_entries', help: 'Entries in the outbound queue at the last poll', registers })),
  };
}
