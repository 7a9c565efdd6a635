import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry, Counter } from 'prom-client';
import { configSchema } from '../../config/schema.js';
import { createMetricsListener } from '../../server/metrics-listener.js';
import { startApi } from '../admin-api/helpers.js';

/** Issue 9: `/metrics` was served to anyone on the public API port. */
test('/metrics: not on the API port without the bearer token; default config serves it on loopback only', async () => {
  const plain = await startApi();
  try {
    assert.equal((await fetch(`${plain.base}/metrics`)).status, 404);
  } finally {
    await plain.close();
  }
  const token = 'a-long-metrics-token-1234';
  const h = await startApi({ metricsToken: token });
  try {
    assert.equal((await fetch(`${h.base}/metrics`)).status, 404);
    assert.equal((await fetch(`${h.base}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status, 401, 'a wrong bearer is just an invalid token');
    const ok = await fetch(`${h.base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /heron_api_requests_total/);
  } finally {
    await h.close();
  }
  const defaults = configSchema.parse({}).metrics;
  assert.deepEqual(defaults, { port: 9464, bind: '127.0.0.1' });
  const registry = new Registry();
  new Counter({ name: 'heron_probe_total', help: 'probe', registers: [registry] }).inc();
  const m = createMetricsListener(registry, defaults.bind);
  const port = await m.listen(0);
  try {
    const r = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(r.status, 200);
    assert.match(await r.text(), /heron_probe_total 1/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/other`)).status, 404);
  } finally {
    await m.close();
  }
});
