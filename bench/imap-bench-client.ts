/**
 * The client half of imap-bench.ts, run in its own process so imapflow's parsing does not share
 * the server's event loop. Args: PORT USER PASSWORD; prints one JSON object of timings.
 */
import { ImapFlow } from 'imapflow';
import { connect } from 'node:tls';

/**
 * A command over a bare TLS socket, timed to the tagged OK: the server's share, without
 * imapflow building 50,000 objects (which costs about as much as the server's work).
 */
function rawFetch(port: number, user: string, pass: string, query: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    let buf = '';
    let step = 0;
    let started = 0n;
    s.setEncoding('latin1');
    s.on('error', reject);
    s.on('data', (d: string) => {
      buf += d;
      if (step === 0 && buf.includes('\r\n')) {
        step = 1;
        buf = '';
        s.write(`a LOGIN "${user}" "${pass}"\r\nb SELECT INBOX\r\n`);
      } else if (step === 1 && /\r\nb OK/.test('\r\n' + buf)) {
        step = 2;
        buf = '';
        started = process.hrtime.bigint();
        s.write(`c ${query}\r\n`);
      } else if (step === 2) {
        if (buf.length > 200) buf = buf.slice(-200);
        if (/\r\nc (OK|NO|BAD)/.test(buf)) {
          step = 3;
          resolve(Number(process.hrtime.bigint() - started) / 1e6);
          s.end('d LOGOUT\r\n');
        }
      }
    });
  });
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
