/**
 * URLAUTH (RFC 4467): GENURLAUTH signs a URL for someone else to fetch (the submission server,
 * another user), URLFETCH fetches signed URLs (with URLAUTH=BINARY's BINARY and
 * BODYPARTSTRUCTURE, RFC 5524), RESETKEY invalidates every URL issued for a mailbox.
 */
import { binarySectionLiteral, bodySectionLiteral, bodyStructureValue, convertedStructureValue, partAt } from '../mime/index.js';
import { atom, type ImapValue } from '../protocol/values.js';
import type { CommandSpec } from '../session/command-spec.js';
import { ImapCodes, ImapNo } from '../session/imap-error.js';
import { literalBytes, parseImapUrl, resolveUrl, urlAuthToken, urlMailbox } from './imap-url.js';
import { findMailbox, userIdOf } from './mailbox-names.js';
import { AUTHENTICATED } from './states.js';

export const genurlauth: CommandSpec<'GENURLAUTH'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    const out: string[] = [];
    for (const { url, mechanism } of cmd.urls) {
      if (mechanism !== 'INTERNAL') throw new ImapNo(ImapCodes.cannot, 'Only the INTERNAL mechanism is supported');
      const u = parseImapUrl(url);
      // A rump: absolute, naming an access, not yet signed, of one's own mailbox.
      if (!u || !u.host || !u.access || u.token) throw new ImapNo(ImapCodes.badUrl, 'Invalid URLAUTH rump', JSON.stringify(url));
      const box = await urlMailbox(session, deps, u);
      if (!box || box.userId !== userIdOf(session)) throw new ImapNo(ImapCodes.badUrl, 'Invalid URLAUTH rump', JSON.stringify(url));
      out.push(`${u.rump}:INTERNAL:${await urlAuthToken(deps, box, u.rump)}`);
    }
    await session.untagged(atom('GENURLAUTH'), ...out);
  },
};

export const resetkey: CommandSpec<'RESETKEY'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    if (cmd.mechanisms.some((m) => m !== 'INTERNAL')) throw new ImapNo(ImapCodes.cannot, 'Only the INTERNAL mechanism is supported');
    const boxes = cmd.mailbox ? [await findMailbox(session, deps, cmd.mailbox)] : await deps.mail.listMailboxes(userIdOf(session));
    for (const b of boxes) await deps.mail.urlAuthGeneration(b.id, { reset: true });
  },
};

export const urlfetch: CommandSpec<'URLFETCH'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    const values: ImapValue[] = [atom('URLFETCH')];
    for (const { url, params } of cmd.urls) {
      values.push(url);
      const t = await resolveUrl(session, deps, url, { requireAuth: true });
      if (!t) {
        values.push(null);
        continue;
      }
      const spec = t.url.section ?? { part: [] };
      // `(url)` with no items is answered as the plain form: url-metadata needs at least one item.
      if (!params || params.length === 0) {
        let data = await literalBytes(await bodySectionLiteral(t.message, spec, null));
        if (t.url.partial) data = data.subarray(t.url.partial.origin, t.url.partial.count ? t.url.partial.origin + t.url.partial.count : undefined);
        values.push({ literal: data });
        continue;
      }
      // RFC 5524 url-metadata = 1*(SP "(" url-metadata-el ")"): each item in its own parentheses.
      const items: ImapValue[][] = [];
      // BINARY first: with it, BODYPARTSTRUCTURE describes the converted bytes (RFC 5524).
      const lit = params.includes('BINARY') && !spec.text ? await binarySectionLiteral(t.message, spec.part, null) : null;
      const converted = lit && !('error' in lit) ? lit : null;
      // The bytes themselves only when the structure must describe them; BINARY alone streams.
      const binary = converted && params.includes('BODYPARTSTRUCTURE') ? await literalBytes(converted) : null;
      // Answered in a fixed order, whatever the request's (as Dovecot does; imaptest expects it).
      const order = ['BODYPARTSTRUCTURE', 'BINARY', 'BODY'].filter((p) => params.includes(p));
      for (const p of order) {
        if (p === 'BODYPARTSTRUCTURE') {
          const part = spec.part.length ? partAt(t.message.structure, spec.part) : t.message.structure;
          let structure: ImapValue = null;
          if (part && binary) {
            const mime = spec.part.length ? await literalBytes(await bodySectionLiteral(t.message, { part: spec.part, text: 'MIME' }, null)) : Buffer.alloc(0);
            structure = convertedStructureValue(spec.part.length ? part : null, binary, mime);
          } else if (part) structure = bodyStructureValue(part, { extensible: true });
          items.push([atom('BODYPARTSTRUCTURE'), structure]);
        } else if (p === 'BINARY') {
          items.push([atom('BINARY'), binary && converted ? { ...converted, literal: binary } : converted]);
        } else {
          items.push([atom('BODY'), await bodySectionLiteral(t.message, spec, null)]);
        }
      }
      values.push(...items);
    }
    await session.untagged(...values);
  },
};
