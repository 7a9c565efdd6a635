/**
 * HTTP load helpers for the API benchmark. Run as a script it is a separate load-generating
 * process (so the server under test keeps a core of its own):
 *   node --import tsx bench/http-client.ts PORT PATH TOTAL CONCURRENCY 'Bearer ...'   -> prints req/s
 */
import http from 'node:http';
import { pathToFileURL } from 'node:url';

export async function loop(concurrency: number, total: number, one: () => Promise<void>): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        await one();
      }
    }),
  );
  return total / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** node:http with keep-alive: far lighter than fetch, so the client does not dominate the figure. */
export function getter(port: number, headers: Record<string, string>) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const get = (p: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: p, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
    });
  return { get, close: () => agent.destroy() };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [port, path, total, concurrency, authorization] = process.argv.slice(2);
  const client = getter(Number(port), { authorization: authorization! });
  const rps = await loop(Number(concurrency), Number(total), async () => {
    const status = await client.get(path!);
    if (status !== 200) throw new Error(`${path}: HTTP ${status}`);
  });
  client.close();
  console.log(JSON.stringify({ rps: Math.round(rps) }));
}
