import { Counter, Histogram, type Registry } from 'prom-client';

export interface FilterMetrics {
  /** Verdicts per filter and action; `error` counts checks that threw (daemon down or slow). */
  verdicts: Counter<'filter' | 'action'>;
  /** Wall time of each check, by filter and outcome. */
  duration: Histogram<'filter' | 'outcome'>;
  /** Junk training requests to rspamd's controller, by class (spam, ham) and outcome. */
  learned: Counter<'class' | 'outcome'>;
}

/**
 * Metrics live in the registry passed in. Asking twice for the same registry returns the same
 * metrics (prom-client refuses duplicate names), so several factories may share one registry.
 */
export function filterMetrics(registry: Registry): FilterMetrics {
  const existing = registry.getSingleMetric('heron_filter_verdicts_total');
  if (existing) {
    return {
      verdicts: existing as Counter<'filter' | 'action'>,
      duration: registry.getSingleMetric('heron_filter_duration_seconds') as Histogram<'filter' | 'outcome'>,
      learned: registry.getSingleMetric('heron_filter_learn_total') as Counter<'class' | 'outcome'>,
    };
  }
  return {
    verdicts: new Counter({
      name: 'heron_filter_verdicts_total',
      help: 'Content check verdicts by filter and action (error: the check could not answer)',
      labelNames: ['filter', 'action'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'heron_filter_duration_seconds',
      help: 'Content check latency by filter and outcome',
      labelNames: ['filter', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    learned: new Counter({
      name: 'heron_filter_learn_total',
      help: 'rspamd training requests from Junk moves, by class and outcome',
      labelNames: ['class', 'outcome'],
      registers: [registry],
    }),
  };
}
