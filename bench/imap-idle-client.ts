/**
 * Opens N IMAP connections that sit in IDLE (the push load of issue 8 item 7), for the server's
 * memory to be measured. Args: PORT USER PASSWORD COUNT; prints {"ready":n,"open_ms":..} once all
 * are idling, then holds them until its standard input closes.
 */
import { connect as connectPlain, type Socket } from 'node:net';
import { connect } from 'node:tls';

const [port, user, pass, countArg] = process.argv.slice(2);
const count = Number(countArg);
const sockets: Socket[] = [];
/** PLAIN=1: without TLS (the plain port, for telling TLS's share of the memory apart). */
const plain = process.env.PLAIN === '1';

function idle(): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = plain ? connectPlain(Number(port), '127.0.0.1') : connect({ host: '127.0.0.1', port: Number(port), rejectUnauthorized: false });
    sockets.push(s);
    let buf = '';
    let step = 0;
    s.setEncoding('latin1');
    s.on('error', reject);
    s.on('data', (d: string) => {
      buf += d;
      if (step === 0 && buf.includes('\r\n')) {
        step = 1;
        s.write(`a LOGIN "${user}" "${pass}"\r\nb SELECT INBOX\r\nc IDLE\r\n`);
      } else if (step === 1 && buf.includes('+ idling')) {
        step = 2;
        buf = '';
        resolve();
      }
      if (buf.length > 65536) buf = buf.slice(-1024);
    });
  });
}

const started = Date.now();
let next = 0;
let ready = 0;
await Promise.all(
  Array.from({ length: 100 }, async () => {
    while (next < count) {
      next++;
      await idle();
      ready++;
    }
  }),
);
console.log(JSON.stringify({ ready, open_ms: Date.now() - started }));
process.stdin.resume();
process.stdin.on('end', () => {
  for (const s of sockets) s.destroy();
  process.exit(0);
});
