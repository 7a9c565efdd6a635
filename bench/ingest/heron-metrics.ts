/** Mean of a Prometheus histogram per label value, in ms, from `_sum` and `_count` lines. */
function histogramMeansMs(text: string, name: string, label: string | null): Map<string, number> {
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  const line = new RegExp(`^${name}_(sum|count)(?:\\{([^}]*)\\})? ([\\d.eE+-]+)$`);
  for (const l of text.split('\n')) {
    const m = line.exec(l);
    if (!m) continue;
    const key = label ? (new RegExp(`${label}="([^"]*)"`).exec(m[2] ?? '')?.[1] ?? '') : '';
    const into = m[1] === 'sum' ? sums : counts;
    into.set(key, (into.get(key) ?? 0) + Number(m[3]));
  }
  const means = new Map<string, number>();
  for (const [key, sum] of sums) {
    const count = counts.get(key) ?? 0;
    if (count > 0) means.set(key, (sum / count) * 1000);
  }
  return means;
}

/** Where a message's time went inside Heron, from its own /metrics: mean ms per message. */
export interface HeronLatency {
  /** DATA end to the pipeline's answer (checks, parse, store commit). */
  deliveryMs: number;
  /** Each filter's own wall time (they run concurrently, so these overlap). */
  filterMs: Record<string, number>;
}

export async function heronLatency(metricsPort: number): Promise<HeronLatency | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    if (!res.ok) return null;
    const text = await res.text();
    return {
      deliveryMs: histogramMeansMs(text, 'heron_delivery_duration_seconds', null).get('') ?? NaN,
      filterMs: Object.fromEntries(histogramMeansMs(text, 'heron_filter_duration_seconds', 'filter')),
    };
  } catch {
    return null;
  }
}

export function formatLatency(l: HeronLatency | null): string {
  if (!l) return '';
  const filters = Object.entries(l.filterMs).map(([f, ms]) => `${f} ${ms.toFixed(1)}`);
  return `delivery ${l.deliveryMs.toFixed(1)} ms${filters.length ? ` (filters, concurrent: ${filters.join(', ')} ms)` : ''}`;
}
