import type { HookDeps } from './deps.js';
import { fetchValues, fieldsFor } from './fetch-values.js';
import { buildSeqMap, fetchResponse } from './fetch-response.js';
import { loadImapHandler, loadImapTools } from './imap-core.js';
import { flagKey } from './own-changes.js';
import { readSelector, selectedOf } from './session-user.js';
import type { FetchOptions, ImapSession } from './types.js';

/** Waits for `event` on the session's output, or for the output to die (never hangs on a closed socket). */
function waitFor(session: ImapSession, start: (done: () => void) => void, event?: 'drain'): Promise<void> {
  return new Promise((resolve) => {
    const ws = session.writeStream;
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      if (event) ws.off(event, done);
      ws.off('close', done);
      ws.off('error', done);
      resolve();
    };
    if (event) ws.once(event, done);
    ws.once('close', done);
    ws.once('error', done);
    start(done);
  });
}

/**
 * FETCH / UID FETCH (RFC 3501 6.4.5, CHANGEDSINCE RFC 7162 3.1.4). Messages are read in UID
 * order with only the columns the query needs and written one response at a time, waiting for
 * the socket: a body literal is streamed from the blob store, never held whole in memory.
 * Reading a body without .PEEK sets \Seen first (RFC 3501 6.4.5), so FLAGS in the same
 * response already show it.
 */
export function createOnFetch(deps: HookDeps) {
  const handler = loadImapHandler();
  const tools = loadImapTools();
  return async (mailboxId: string, options: FetchOptions, session: ImapSession): Promise<unknown[]> => {
    const sel = selectedOf(session, mailboxId);
    const id = String(mailboxId);
    if (!options.messages.length) return [true];
    if (options.markAsSeen && !sel.readOnly) {
      const res = await deps.mail.updateFlags(id, [...options.messages], { action: 'add', flags: ['\\Seen'] });
      deps.ownChanges.add(id, session.id, res.updated.map((u) => flagKey(u.uid, u.modseq)));
    }
    const { selector, wanted } = readSelector(options.messages);
    const fields = fieldsFor(options.query);
    const acceptUtf8 = typeof session.isUTF8Enabled === 'function' ? !!session.isUTF8Enabled() : false;
    const socket = (session as unknown as { socket?: { destroyed?: boolean } }).socket;
    const started = Date.now();
    const seqOf = buildSeqMap(session);
    let count = 0;
    // Metadata-only responses are compiled here and written in ~64 KB batches: one composer
    // write per message costs more than the FETCH itself for FLAGS of a big mailbox.
    let pending: string[] = [];
    let pendingBytes = 0;
    const flush = async (): Promise<void> => {
      if (!pending.length) return;
      const compiled = Buffer.from(pending.join('\r\n'), 'binary');
      pending = [];
      pendingBytes = 0;
      if (!session.writeStream.write({ compiled })) await waitFor(session, () => undefined, 'drain');
    };
    const iter = deps.mail.getMessages(id, selector, {
      fields,
      ...(options.changedSince ? { changedSince: Number(options.changedSince) } : {}),
    });
    for await (const rec of iter) {
      if (wanted && !wanted.has(rec.uid)) continue;
      if (socket?.destroyed) break;
      const seq = seqOf.get(rec.uid);
      if (!seq) continue; // not in this session's view (arrived after SELECT, not yet announced)
      const values = fetchValues(options.query, rec, deps.reader, tools, acceptUtf8);
      const response = fetchResponse(seq, options.query, values);
      count++;
      const streaming = values.some((v) => !!v && typeof v === 'object' && (v as { type?: string }).type === 'stream');
      if (streaming) {
        await flush();
        await waitFor(session, (done) => {
          session.writeStream.write(handler.compileStream(response), done);
        });
      } else {
        // The compiler answers a binary string, or a Buffer when UTF8=ACCEPT text is in it.
        const out = handler.compiler(response) as string | Buffer;
        const line = typeof out === 'string' ? out : out.toString('binary');
        pending.push(line);
        pendingBytes += line.length;
        if (pendingBytes >= 64 * 1024) await flush();
      }
    }
    await flush();
    deps.logger.debug({ cid: session.id, count, ms: Date.now() - started }, 'imap fetch done');
    return [true];
  };
}
