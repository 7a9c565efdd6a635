import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * Metrics are looked up before they are created so that several pipelines (MX and, later,
 * submission's local delivery) can share one registry.
 */
function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter<string> {
  return (registry.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

export interface DeliveryMetrics {
  verdicts: Counter<string>;
  outcomes: Counter<string>;
  recipients: Counter<string>;
  duration: Histogram<string>;
}

export function deliveryMetrics(registry: Registry): DeliveryMetrics {
  const durationName = 'heron_delivery_duration_seconds';
  return {
    verdicts: counter(registry, 'heron_delivery_verdicts_total', 'Check results by check and action (error = threw or timed out)', ['check', 'action']),
    outcomes: counter(registry, 'heron_delivery_messages_total', 'Inbound messages by outcome', ['outcome']),
    recipients: counter(registry, 'heron_delivery_recipients_total', 'Per-recipient copies by destination', ['destination']),
    duration:
      (registry.getSingleMetric(durationName) as Histogram<string> | undefined) ??
      new Histogram({
        name: durationName,
        help: 'Time from end of DATA to store commit, checks included',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [registry],
      }),
  };
}
