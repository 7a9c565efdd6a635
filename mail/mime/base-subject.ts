/**
 * RFC 5256 2.1 base subject, the key of SORT SUBJECT and of threading by subject. Works on the
 * decoded subject (step 1's charset conversion is the caller's RFC 2047 decoding). Each step
 * removes a prefix or suffix, so the loop runs at most as many times as the subject has
 * characters, and each pass is linear in what it removes plus a constant.
 */

export interface BaseSubject {
  base: string;
  /** A reply or forward: a subj-refwd, `(fwd)` trailer or `[fwd: ...]` wrapper was removed (RFC 5256 2.1, 5). */
  isReply: boolean;
}

const WSP = /[ \t]/;

export function baseSubject(decoded: string): BaseSubject {
  // (1) White space runs (folds already removed) become one space.
  const s = decoded.replace(/[ \t\r\n]+/g, ' ');
  // The subject is s[a, b): steps move the ends instead of copying, so nothing is quadratic.
  let a = 0;
  let b = s.length;
  let isReply = false;
  for (;;) {
    // (2) Trailers: "(fwd)" and white space, repeatedly.
    for (;;) {
      if (b > a && s[b - 1] === ' ') b--;
      else if (b - a >= 5 && s.slice(b - 5, b).toLowerCase() === '(fwd)') {
        b -= 5;
        isReply = true;
      } else break;
    }
    // (3)+(4): leaders and blobs, until neither removes anything.
    for (;;) {
      const leader = leaderLength(s, a, b);
      if (leader.length > 0) {
        if (leader.refwd) isReply = true;
        a += leader.length;
        continue;
      }
      // Blobs with no subj-refwd after them: (4) removes them one by one as long as something
      // is left, and (3) cannot match in between (the run ends where it did), so remove them at once.
      const next = leader.blobRunEnd < b ? leader.blobRunEnd : leader.lastBlob;
      if (next > a) {
        a = next;
        continue;
      }
      break;
    }
    // (6) "[fwd:" ... "]" wrapper.
    if (b - a >= 6 && s.slice(a, a + 5).toLowerCase() === '[fwd:' && s[b - 1] === ']') {
      a += 5;
      b -= 1;
      isReply = true;
      continue;
    }
    break;
  }
  return { base: s.slice(a, b), isReply };
}

/** subj-blob = "[" *BLOBCHAR "]" *WSP at `i`: its length, or 0. */
function blobLength(s: string, i: number, b: number): number {
  if (s[i] !== '[' || i >= b) return 0;
  let j = i + 1;
  while (j < b && s[j] !== ']' && s[j] !== '[') j++;
  if (j >= b || s[j] !== ']') return 0;
  j++;
  while (j < b && WSP.test(s[j]!)) j++;
  return j - i;
}

interface Leader {
  length: number;
  refwd: boolean;
  /** Where the run of subj-blobs at the start ends, and where its last blob starts. */
  blobRunEnd: number;
  lastBlob: number;
}

/** subj-leader = (*subj-blob subj-refwd) / WSP at `a`: its length. */
function leaderLength(s: string, a: number, b: number): Leader {
  if (a < b && (s[a] === ' ' || s[a] === '\t')) return { length: 1, refwd: false, blobRunEnd: a, lastBlob: a };
  let i = a;
  let lastBlob = a;
  for (;;) {
    const n = blobLength(s, i, b);
    if (n === 0) break;
    lastBlob = i;
    i += n;
  }
  const r = refwdLength(s, i, b);
  return r > 0 ? { length: i + r - a, refwd: true, blobRunEnd: i, lastBlob } : { length: 0, refwd: false, blobRunEnd: i, lastBlob };
}

/** subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":" at `i`: its length, or 0. */
function refwdLength(s: string, i: number, b: number): number {
  const head = s.slice(i, Math.min(b, i + 3)).toLowerCase();
  let j: number;
  if (head.startsWith('re')) j = i + 2;
  else if (head === 'fwd') j = i + 3;
  else if (head.startsWith('fw')) j = i + 2;
  else return 0;
  while (j < b && WSP.test(s[j]!)) j++;
  j += blobLength(s, j, b);
  return j < b && s[j] === ':' ? j + 1 - i : 0;
}
