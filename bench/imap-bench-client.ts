/**
 * The client half of imap-bench.ts, run in its own process so imapflow's parsing does not share
 * the server's event loop. Args: PORT USER PASSWORD; prints one JSON object of timings.
 */
import { ImapFlow } from 'imapflow';
import { RawImap } from './imap-raw-client.js';

/**
 * A command over a bare TLS socket, timed to the tagged answer: the server's share, without
 * imapflow building 50,000 objects (which costs about as much as the server's work).
 */
async function rawFetch(port: number, user: string, pass: string, query: string): Promise<number> {
  const raw = await RawImap.connect(port);
  try {
    for (const setup of [`LOGIN "${user}" "${pass}"`, 'SELECT INBOX']) {
      const r = await raw.run(setup);
      if (r.status !== 'OK') throw new Error(`${setup.split(' ')[0]}: ${r.status}`);
    }
    return (await raw.run(query)).ms;
  } finally {
    raw.close();
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const v = await fn();
  return [v, Number(process.hrtime.bigint() - t) / 1e6];
}

const [port, user, pass] = process.argv.slice(2);
const out: Record<string, number> = {};
const c = new ImapFlow({ host: '127.0.0.1', port: Number(port), secure: true, auth: { user: user!, pass: pass! }, tls: { rejectUnauthorized: false }, logger: false });
await c.connect();

const [box, selectMs] = await timed(() => c.mailboxOpen('INBOX'));
out.select_ms = Math.round(selectMs);
out.select_exists = box.exists;

const [flagsCount, flagsMs] = await timed(async () => {
  let n = 0;
  for await (const m of c.fetch('1:*', { flags: true })) if (m.flags) n++;
  return n;
});
out.fetch_flags_ms = Math.round(flagsMs);
out.fetch_flags_raw_socket_ms = Math.round(await rawFetch(Number(port), user!, pass!, 'FETCH 1:* (FLAGS)'));
out.fetch_flags_count = flagsCount;

const [envCount, envMs] = await timed(async () => {
  let n = 0;
  for await (const m of c.fetch('1:*', { envelope: true })) if (m.envelope) n++;
  return n;
});
out.fetch_envelope_ms = Math.round(envMs);
out.fetch_envelope_count = envCount;

const [hits, searchMs] = await timed(() => c.search({ text: 'quartz' }, { uid: true }));
out.uid_search_text_ms = Math.round(searchMs);
out.uid_search_text_raw_socket_ms = Math.round(await rawFetch(Number(port), user!, pass!, 'UID SEARCH TEXT quartz'));
out.uid_search_text_hits = Array.isArray(hits) ? hits.length : 0;

await c.mailboxOpen('Archive');
const [bigLen, bigMs] = await timed(async () => {
  const m = await c.fetchOne('*', { source: true });
  return m ? m.source?.length ?? 0 : 0;
});
out.fetch_big_body_ms = Math.round(bigMs);
out.fetch_big_body_bytes = bigLen;
out.client_peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
await c.logout();
console.log(JSON.stringify(out));
