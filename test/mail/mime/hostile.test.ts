import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MimePart } from '../../../domain/index.js';
import { bodyStructureValue, envelopeValue, resolveSection } from '../../../imap/mime/index.js';
import { extractBodies, parseMessage, prepareMessage, walkParts } from '../../../mail/mime/index.js';
import { createMemoryBlobStore } from '../../helpers/memory-blobs.js';
import { rng } from '../../helpers/rng.js';
import { wire } from '../../imap/mime/helpers.js';
import { CORPUS, corpusSet, type CorpusSet } from './fixtures/corpus.js';

/** The invariants every parse keeps, whatever the input. */
function checkTree(size: number, root: MimePart): void {
  const visit = (p: MimePart, lo: number, hi: number) => {
    assert.ok(lo <= p.headerStart && p.headerStart <= p.bodyStart && p.bodyStart <= p.bodyEnd && p.bodyEnd <= hi, `offsets ${p.headerStart} ${p.bodyStart} ${p.bodyEnd} in [${lo}, ${hi}]`);
    assert.ok(p.bodyLines >= 0 && p.bodyLines <= p.bodyEnd - p.bodyStart);
    let prev = p.bodyStart;
    for (const c of p.children ?? []) {
      visit(c, prev, p.bodyEnd);
      prev = c.bodyEnd;
    }
    if (p.message) {
      assert.equal(p.message.part.headerStart, p.bodyStart);
      visit(p.message.part, p.bodyStart, p.bodyEnd);
    }
  };
  assert.equal(root.headerStart, 0);
  assert.equal(root.bodyEnd, size);
  visit(root, 0, size);
}

/** Parses and runs every IMAP encoder over the result: nothing may throw. */
function exercise(raw: Buffer): void {
  const p = parseMessage(raw);
  checkTree(p.bytes.length, p.structure);
  wire(envelopeValue(p.envelope));
  wire(bodyStructureValue(p.structure, { extensible: true }));
  wire(bodyStructureValue(p.structure, { extensible: false }));
  for (const { number } of walkParts(p.structure)) {
    const part = number.split('.').map(Number);
    for (const text of [undefined, 'MIME', 'HEADER', 'TEXT'] as const) {
      for (const piece of resolveSection(p.structure, { part, text }).pieces) {
        if ('range' in piece) assert.ok(piece.range[0] >= 0 && piece.range[1] <= p.bytes.length);
      }
    }
  }
}

const SEEDS = (Object.keys(CORPUS) as CorpusSet[]).flatMap((set) => corpusSet(set));
const TOKENS = ['\r\n', '\n', '\r', '--', '--seam line', '--alt.7--', '--bundle \t', '--x', 'Content-Type: multipart/mixed; boundary=x\r\n', 'Content-Type: message/rfc822\r\n\r\n', ':', ' ', '\t', '"', '(', ')', '=?utf-8?q?', '?=', ';', '=', '\0', '\xff'];

function mutate(src: Buffer, r: () => number): Buffer {
  let b = Buffer.from(src);
  const ops = 1 + Math.floor(r() * 6);
  for (let k = 0; k < ops; k++) {
    const at = Math.floor(r() * (b.length + 1));
    switch (Math.floor(r() * 5)) {
      case 0: // flip a byte
        if (b.length) b[Math.min(at, b.length - 1)] = Math.floor(r() * 256);
        break;
      case 1: // insert a MIME-ish token
        b = Buffer.concat([b.subarray(0, at), Buffer.from(TOKENS[Math.floor(r() * TOKENS.length)]!, 'latin1'), b.subarray(at)]);
        break;
      case 2: // delete a range
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + Math.floor(r() * 40))]);
        break;
      case 3: // duplicate a range
        b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + Math.floor(r() * 200)), b.subarray(at)]);
        break;
      default: // truncate
        b = b.subarray(0, at);
    }
  }
  return b;
}

describe('fuzz (fixed seed, bounded time)', () => {
  test('mutated corpus messages and random bytes never throw and keep the tree invariants', () => {
    const r = rng(0x4e20);
    const deadline = Date.now() + 4000;
    let n = 0;
    while (Date.now() < deadline && n < 20_000) {
      const raw = r() < 0.15 ? Buffer.from(Array.from({ length: Math.floor(r() * 300) }, () => Math.floor(r() * 256))) : mutate(SEEDS[Math.floor(r() * SEEDS.length)]!, r);
      try {
        exercise(raw);
      } catch (err) {
        assert.fail(`input #${n} ${JSON.stringify(raw.toString('latin1'))}: ${(err as Error).stack}`);
      }
      n++;
    }
    assert.ok(n > 100, `only ${n} inputs tried`);
  });
});

/**
 * Best of five runs, in milliseconds of this process's CPU time: other work on a shared machine
 * does not count, as wall-clock time would.
 */
function timeOf(fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
}

/**
 * Linear-ish: eight times the input may take at most 24 times as long; quadratic work would take
 * 64 times, and the failures this guards against are far worse. A ratio of best-of-five timings,
 * not a time limit, with room for GC and a busy machine.
 */
function assertLinear(make: (n: number) => Buffer, n: number): void {
  const small = make(n);
  const large = make(8 * n);
  exercise(small);
  // Warm up on the large input first, so the first timing does not pay for JIT compilation.
  parseMessage(large);
  const a = Math.max(timeOf(() => parseMessage(small)), 1);
  const b = timeOf(() => parseMessage(large));
  assert.ok(b / a < 24, `x8 input took x${(b / a).toFixed(1)} time (${a.toFixed(1)} ms -> ${b.toFixed(1)} ms)`);
}

describe('hostile input: no crash, nothing worse than linear', () => {
  test('100k nested multiparts (beyond the depth limit the rest is opaque)', () => {
    const nested = (n: number) => {
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(`Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`);
      return Buffer.from(parts.join('') + 'leaf\r\n');
    };
    const p = parseMessage(nested(100_000));
    let depth = 0;
    let cur: MimePart | undefined = p.structure;
    while (cur?.children?.length) {
      cur = cur.children[0];
      depth++;
    }
    assert.equal(depth, 100);
    assertLinear(nested, 12_500);
  });

  test('100k nested message/rfc822', () => {
    const p = parseMessage(Buffer.from('Content-Type: message/rfc822\r\n\r\n'.repeat(100_000) + 'x'));
    checkTree(p.bytes.length, p.structure);
  });

  test('100k sibling parts (beyond the part limit the rest is the last part)', () => {
    const siblings = (n: number) => Buffer.from('Content-Type: multipart/mixed; boundary=x\r\n\r\n' + '--x\r\n\r\na\r\n'.repeat(n) + '--x--\r\n');
    const p = parseMessage(siblings(100_000));
    assert.equal(p.structure.children!.length, 10_000);
    assertLinear(siblings, 1_250);
  });

  test('many candidate boundary lines against many open boundaries', () => {
    const lines = (n: number) => {
      let head = '';
      for (let i = 0; i < 100; i++) head += `Content-Type: multipart/mixed; boundary=boundary-${i}\r\n\r\n--boundary-${i}\r\n`;
      return Buffer.from(head + '\r\n' + '--boundary-nope\r\n'.repeat(n));
    };
    assertLinear(lines, 5_000);
  });

  test('1M header lines', () => {
    const headers = (n: number) => Buffer.from('X-Spam: y\r\n'.repeat(n) + 'Subject: after\r\n\r\nbody\r\n');
    const p = parseMessage(headers(1_000_000));
    assert.equal(p.bytes.subarray(p.structure.bodyStart).toString(), 'body\r\n');
    assertLinear(headers, 50_000);
  });

  test('1M folded continuation lines in one field, and 1M address list entries', () => {
    const folded = (n: number) => Buffer.from('Subject: a\r\n' + ' b\r\n'.repeat(n) + '\r\nx');
    parseMessage(folded(1_000_000));
    assertLinear(folded, 50_000);
    const addresses = (n: number) => Buffer.from('To: ' + 'a@b, '.repeat(n) + '\r\n\r\nx');
    assertLinear(addresses, 25_000);
  });

  test('50 MB single line: as a header, as a body, as a QP text part', () => {
    const big = 50 * 1024 * 1024;
    const header = Buffer.alloc(big, 'a');
    header.write('X: ', 0);
    checkTree(big, parseMessage(header).structure);
    const body = Buffer.concat([Buffer.from('Subject: s\r\n\r\n'), Buffer.alloc(big, 'b')]);
    const p = parseMessage(body);
    assert.equal(p.structure.bodyEnd - p.structure.bodyStart, big);
    assert.equal(p.search.body.length <= 256 * 1024, true);
    const qp = Buffer.concat([Buffer.from('Content-Transfer-Encoding: quoted-printable\r\n\r\n'), Buffer.alloc(big, '=4')]);
    parseMessage(qp);
    assertLinear((n) => Buffer.concat([Buffer.from('Subject: s\r\n\r\n'), Buffer.alloc(n, 'b')]), 2 * 1024 * 1024);
  });

  test('pathological subjects, comments, quotes and encoded words', () => {
    const subjects = (n: number) => Buffer.from(`Subject: ${'Re: [x] '.repeat(n)}${'(fwd)'.repeat(n)}\r\nFrom: ${'('.repeat(n)}a@b\r\nTo: "${'\\"'.repeat(n)}\r\nCc: ${'=?'.repeat(n)}\r\n\r\n`);
    assertLinear(subjects, 10_000);
    const params = (n: number) => Buffer.from(`Content-Type: text/plain; ${'a=b; '.repeat(n)}name*0*=${"'".repeat(n)}\r\nContent-Disposition: attachment; ${'filename*1=x; '.repeat(n)}\r\n\r\nx`);
    assertLinear(params, 10_000);
  });

  test('HTML: 100k nested elements, unclosed tags, endless script', async () => {
    const nested = (n: number) => Buffer.from('Content-Type: text/html\r\n\r\n' + '<div>'.repeat(n) + 'x' + '</div>'.repeat(n));
    assertLinear(nested, 12_500);
    assertLinear((n) => Buffer.from('Content-Type: text/html\r\n\r\n' + '<a'.repeat(n)), 50_000);
    assertLinear((n) => Buffer.from('Content-Type: text/html\r\n\r\n' + '<script>'.repeat(n)), 25_000);
    // The API's message view (html-to-text) falls back to the linear extractor for deep documents.
    const blobs = createMemoryBlobStore();
    const p = await prepareMessage(nested(100_000), blobs);
    const t = performance.now();
    const view = await extractBodies({ content: p.content, structure: p.structure }, blobs);
    assert.equal(view.text, 'x');
    assert.ok(performance.now() - t < 60_000);
  });
});
