import { Transform, type Readable } from 'node:stream';
import type { BlobStore } from '../../domain/blob-store.js';
import type { MimeTree } from '../../domain/message.js';

interface Node {
  attachmentId?: string;
  parsedHeader?: Record<string, unknown>;
  childNodes?: Node[];
  message?: Node;
}

/** The part's Content-Transfer-Encoding, found by its blob id in the imap-core MIME tree. */
function encodingOf(tree: MimeTree, blobId: string): string {
  const stack: Node[] = [tree as Node];
  for (let guard = 0; stack.length && guard < 10_000; guard++) {
    const n = stack.pop()!;
    if (n.attachmentId === blobId) {
      const v = n.parsedHeader?.['content-transfer-encoding'];
      return (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : '').trim().toLowerCase();
    }
    if (n.childNodes) stack.push(...n.childNodes);
    if (n.message) stack.push(n.message);
  }
  return '';
}

/** Blobs hold parts as they were on the wire; downloads get the decoded bytes (base64 and quoted-printable, RFC 2045 6.7-6.8). */
export function decodedAttachment(blobs: BlobStore, blobId: string, tree: MimeTree): Readable {
  const raw = blobs.createReadStream(blobId);
  const enc = encodingOf(tree, blobId);
  if (enc === 'base64') return raw.pipe(base64Decoder());
  if (enc === 'quoted-printable') return raw.pipe(qpDecoder());
  return raw;
}

function base64Decoder(): Transform {
  let rest = '';
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      const s = rest + chunk.toString('latin1').replace(/[^A-Za-z0-9+/]/g, '');
      const usable = s.length - (s.length % 4);
      rest = s.slice(usable);
      cb(null, Buffer.from(s.slice(0, usable), 'base64'));
    },
    flush(cb) {
      cb(null, rest ? Buffer.from(rest, 'base64') : undefined);
    },
  });
}

function qpDecoder(): Transform {
  let rest = '';
  const decode = (s: string) =>
    Buffer.from(s.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      const s = rest + chunk.toString('latin1');
      // Keep a possibly cut escape or soft break for the next chunk.
      const eq = s.lastIndexOf('=');
      const at = eq >= 0 && eq >= s.length - 2 ? eq : s.length;
      rest = s.slice(at);
      cb(null, decode(s.slice(0, at)));
    },
    flush(cb) {
      cb(null, rest ? decode(rest) : undefined);
    },
  });
}
