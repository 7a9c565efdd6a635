/**
 * The raw-socket half of imap-bench.ts, in its own process: the same commands, timed the same way,
 * against whichever server it is pointed at. Args: PORT USER PASSWORD LABEL; prints one JSON object.
 */
import { median, RawImap } from './imap-raw-client.js';

const [port, user, pass, label] = process.argv.slice(2);
const c = await RawImap.connect(Number(port));
const login = await c.run(`LOGIN "${user}" "${pass}"`);
if (login.status !== 'OK') throw new Error(`login: ${login.text}`);
const out: Record<string, number> = {};
// The first SELECT may build indexes (Dovecot's on a fresh Maildir): reported apart.
out.select_first_ms = Math.round((await c.run('SELECT INBOX')).ms);
const select = await median(c, 'SELECT INBOX');
out.select_ms = Math.round(select.ms);
out.fetch_flags_ms = Math.round((await median(c, 'FETCH 1:* (FLAGS)')).ms);
out.fetch_envelope_ms = Math.round((await median(c, 'FETCH 1:* (ENVELOPE)')).ms);
const search = await median(c, 'UID SEARCH BODY quartz');
out.uid_search_body_ms = Math.round(search.ms);
out.uid_search_body_hits = Math.max(0, (/\* SEARCH([^\r]*)/.exec(search.text)?.[1] ?? '').trim().split(' ').filter(Boolean).length);
out.sort_date_ms = Math.round((await median(c, 'SORT (DATE) US-ASCII ALL')).ms);
// Both servers keep what threading read (Dovecot a thread index, Heron per-mailbox memory): the
// first THREAD, the repeated one, and one after a new message arrived are reported apart.
out.thread_references_first_ms = Math.round((await c.run('THREAD REFERENCES US-ASCII ALL')).ms);
out.thread_references_ms = Math.round((await median(c, 'THREAD REFERENCES US-ASCII ALL')).ms);
const reply = 'From: s@bench.test\r\nSubject: Re: Message 0\r\nMessage-ID: <new@bench.test>\r\nReferences: <m0@bench.test>\r\n\r\nnew\r\n';
if ((await c.run(`APPEND INBOX {${reply.length}+}\r\n${reply}`)).status !== 'OK') throw new Error('APPEND failed');
await c.run('NOOP');
out.thread_references_after_new_ms = Math.round((await c.run('THREAD REFERENCES US-ASCII ALL')).ms);
c.close();
console.log(JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, v]) => [`${label}_${k}`, v]))));
