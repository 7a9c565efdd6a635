/**
 * A dynamic rooted forest answering "which tree root is above this node?" while edges are added
 * and removed: Sleator and Tarjan's link-cut trees (1983), every operation O(log n) amortized.
 * THREAD REFERENCES (RFC 5256 4 step 1) needs this for its loop check: walking parent pointers
 * instead costs the depth of the thread, which a sender controls (a 50,000-message reply chain).
 * Everything is iterative, so no chain depth can overflow the stack.
 *
 * Nodes are the caller's objects; the forest keeps its pointers in three fields of them. Each
 * node sits in a splay tree (lcL/lcR) ordered by depth along one root-ward path; lcP is the
 * splay parent, or for a splay tree's root the tree node above that path (a "path parent").
 */
export interface ForestNode {
  lcL: ForestNode | null;
  lcR: ForestNode | null;
  lcP: ForestNode | null;
}

function isSplayRoot(x: ForestNode): boolean {
  const p = x.lcP;
  return !p || (p.lcL !== x && p.lcR !== x);
}

function rotate(x: ForestNode): void {
  const y = x.lcP!;
  const z = y.lcP;
  const yWasRoot = isSplayRoot(y);
  if (y.lcL === x) {
    y.lcL = x.lcR;
    if (x.lcR) x.lcR.lcP = y;
    x.lcR = y;
  } else {
    y.lcR = x.lcL;
    if (x.lcL) x.lcL.lcP = y;
    x.lcL = y;
  }
  y.lcP = x;
  x.lcP = z;
  if (!yWasRoot && z) {
    if (z.lcL === y) z.lcL = x;
    else z.lcR = x;
  }
}

function splay(x: ForestNode): void {
  while (!isSplayRoot(x)) {
    const y = x.lcP!;
    if (!isSplayRoot(y)) {
      const z = y.lcP!;
      rotate((z.lcL === y) === (y.lcL === x) ? y : x);
    }
    rotate(x);
  }
}

/** Makes the path from x's tree root to x one splay tree, rooted at x (x then has no right child). */
function access(x: ForestNode): void {
  let last: ForestNode | null = null;
  for (let y: ForestNode | null = x; y; y = y.lcP) {
    splay(y);
    y.lcR = last;
    last = y;
  }
  splay(x);
}

/** The root of the tree holding x. */
export function findRoot(x: ForestNode): ForestNode {
  access(x);
  let r = x;
  while (r.lcL) r = r.lcL;
  splay(r);
  return r;
}

/** Hangs `child`, which must be a tree root, below `parent` (in another tree). */
export function linkUnder(parent: ForestNode, child: ForestNode): void {
  access(child);
  child.lcP = parent;
}

/** Detaches x from its parent, making it the root of its own tree. */
export function cutFromParent(x: ForestNode): void {
  access(x);
  if (x.lcL) {
    x.lcL.lcP = null;
    x.lcL = null;
  }
}
