import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { normalizeLineEnds } from '../../mail/mime/line-ends.js';
import { LineEndStream } from '../../mail/spool/line-end-stream.js';
import { spoolToFile } from '../../mail/spool/spool-file.js';

/** Byte-at-a-time reference: the output, and where the first bare CR's CRLF starts in it. */
function reference(raw: Buffer): { out: Buffer; firstBareCr: number } {
  const out: number[] = [];
  let firstBareCr = -1;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x0d) {
      if (raw[i + 1] === 0x0a) i++;
      else if (firstBareCr < 0) firstBareCr = out.length;
      out.push(0x0d, 0x0a);
    } else if (b === 0x0a) out.push(0x0d, 0x0a);
    else out.push(b);
  }
  return { out: Buffer.from(out), firstBareCr };
}

/** mulberry32: a fixed seed makes every run cut the same chunks. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('LineEndStream: any chunking of any CR/LF mix gives normalizeLineEnds of the whole, and the first bare CR', () => {
  const rand = rng(9);
  const alphabet = [0x61, 0x0d, 0x0a, 0x0d, 0x0a, 0x3a];
  for (let round = 0; round < 2000; round++) {
    const raw = Buffer.from(Array.from({ length: Math.floor(rand() * 40) }, () => alphabet[Math.floor(rand() * alphabet.length)]!));
    const s = new LineEndStream();
    const parts: Buffer[] = [];
    for (let i = 0; i < raw.length; ) {
      const n = Math.floor(rand() * 5); // empty chunks too
      parts.push(s.push(raw.subarray(i, i + n)));
      i += n;
    }
    parts.push(s.end());
    const got = Buffer.concat(parts);
    const want = reference(raw);
    assert.deepEqual(got, want.out, `round ${round}: ${JSON.stringify(raw.toString('latin1'))}`);
    assert.deepEqual(got, normalizeLineEnds(raw));
    assert.equal(s.firstBareCr, want.firstBareCr, `round ${round}: ${JSON.stringify(raw.toString('latin1'))}`);
    assert.equal(s.bytesOut, got.length);
  }
});

test('LineEndStream: a clean chunk comes back as is; 8 MB of lone CRs all become CRLF', () => {
  const clean = Buffer.from('Subject: x\r\n\r\nbody\r\n');
  const s = new LineEndStream();
  assert.equal(s.push(clean), clean);
  const crs = Buffer.alloc(8 * 1024 * 1024, 0x0d);
  const t = new LineEndStream();
  let n = 0;
  for (let i = 0; i < crs.length; i += 65536) n += t.push(crs.subarray(i, i + 65536)).length;
  n += t.end().length;
  assert.equal(n, crs.length * 2);
  assert.equal(t.firstBareCr, 0);
});

test('spoolToFile with normalize: in memory and on file the kept bytes are the CRLF form; header size and first bare CR are reported', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'heron-spool-norm-'));
  try {
    const raw = Buffer.from('From: a@b.test\nX-A: a\rFrom: c@d.test\n\nbody\rline\n', 'latin1');
    const want = normalizeLineEnds(raw);
    for (const memoryLimit of [1e6, 0]) {
      const parts = Array.from({ length: raw.length }, (_, i) => raw.subarray(i, i + 1));
      const r = await spoolToFile(Readable.from(parts), { dir, name: `norm${memoryLimit}`, maxBytes: 1000, memoryLimit, normalize: true });
      const kept = r.data ?? readFileSync(r.path!);
      assert.deepEqual(kept, want);
      assert.equal(r.size, raw.length, 'size counts what was received (SIZE, RFC 1870)');
      assert.equal(r.storedSize, want.length);
      assert.equal(r.firstBareCr, want.indexOf('\r\nFrom: c'));
      assert.equal(r.headerBytes, want.indexOf('\r\n\r\n') + 2);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
