/**
 * The THREAD algorithms as they stood before they were made iterative (git history of
 * imap/commands/thread.ts): plain recursion and parent walks, too slow and too deep for hostile
 * mailboxes but simple enough to trust. thread-hostile.test.ts checks the server against it.
 */
import type { ThreadMsg } from '../../imap/commands/thread.js';

type Msg = ThreadMsg;

interface Node {
  msg: Msg | null;
  parent: Node | null;
  children: Node[];
}

const byDate = (a: Node, b: Node): number => {
  const x = firstMsg(a);
  const y = firstMsg(b);
  if (!x || !y) return x ? -1 : y ? 1 : 0;
  return x.date - y.date || x.seq - y.seq;
};

/** A dummy's date and subject are those of its first child (RFC 5256 4, REFERENCES steps 5-6). */
function firstMsg(node: Node): Msg | null {
  let n: Node | undefined = node;
  while (n && !n.msg) n = n.children[0];
  return n?.msg ?? null;
}

/** `(1 2)(3 (4)(5))`: one child continues the chain, several are each parenthesised. */
function render(node: Node): string {
  const kids = node.children;
  const head = node.msg ? String(node.msg.n) : '';
  if (!kids.length) return head;
  if (kids.length === 1 && node.msg) return `${head} ${render(kids[0]!)}`;
  const parts = kids.map((k) => `(${render(k)})`).join('');
  return node.msg ? `${head} ${parts}` : parts;
}

/** ORDEREDSUBJECT: by base subject, each thread's first message the parent of the others. */
function orderedSubject(msgs: Msg[]): Node[] {
  const groups = new Map<string, Msg[]>();
  const sorted = [...msgs].sort((a, b) => a.date - b.date || a.seq - b.seq);
  for (const m of sorted) {
    const g = groups.get(m.subject);
    if (g) g.push(m);
    else groups.set(m.subject, [m]);
  }
  const roots: Node[] = [];
  for (const g of groups.values()) {
    const root: Node = { msg: g[0]!, parent: null, children: [] };
    for (const m of g.slice(1)) root.children.push({ msg: m, parent: root, children: [] });
    roots.push(root);
  }
  return roots.sort(byDate);
}

function isAncestor(maybe: Node, of: Node): boolean {
  for (let p = of.parent; p; p = p.parent) if (p === maybe) return true;
  return false;
}

function link(parent: Node, child: Node): void {
  if (child.parent) child.parent.children = child.parent.children.filter((c) => c !== child);
  child.parent = parent;
  parent.children.push(child);
}

/** REFERENCES (RFC 5256 4, after Jamie Zawinski's algorithm). */
function references(msgs: Msg[]): Node[] {
  const table = new Map<string, Node>();
  const all: Node[] = [];
  const get = (id: string): Node => {
    let c = table.get(id);
    if (!c) {
      c = { msg: null, parent: null, children: [] };
      table.set(id, c);
      all.push(c);
    }
    return c;
  };
  for (const m of msgs) {
    // (1)(A): a missing or duplicate Message-ID makes the message unique.
    const id = m.messageId;
    let node: Node;
    if (id && !table.get(id)?.msg) {
      node = get(id);
    } else {
      node = { msg: null, parent: null, children: [] };
      all.push(node);
    }
    node.msg = m;
    const refs = m.references.length ? m.references : m.inReplyTo ? [m.inReplyTo] : [];
    // (1)(B): link the references in order, never creating a loop or re-parenting.
    for (let i = 0; i + 1 < refs.length; i++) {
      const p = get(refs[i]!);
      const c = get(refs[i + 1]!);
      if (p !== c && !c.parent && !isAncestor(c, p)) link(p, c);
    }
    // (1)(C): the last reference is the parent. A parent the message already has came from
    // another message's (maybe truncated) References and is dropped, even when the new link
    // would make a loop and is not made either.
    if (refs.length) {
      const p = get(refs[refs.length - 1]!);
      if (node.parent) {
        node.parent.children = node.parent.children.filter((c) => c !== node);
        node.parent = null;
      }
      if (p !== node && !isAncestor(node, p)) link(p, node);
    }
  }
  // (2) root set; (4) prune dummies.
  let roots = all.filter((c) => !c.parent);
  const prune = (siblings: Node[], atRoot: boolean): Node[] => {
    const out: Node[] = [];
    for (const c of siblings) {
      c.children = prune(c.children, false);
      if (c.msg) out.push(c);
      else if (c.children.length === 0) continue;
      else if (atRoot && c.children.length > 1) out.push(c);
      else for (const k of c.children) out.push(k);
    }
    for (const c of out) for (const k of c.children) k.parent = c;
    return out;
  };
  roots = prune(roots, true);
  for (const r of roots) r.parent = null;
  // (5) sort the root set by date (a dummy by its first child, children sorted first).
  const sortTree = (n: Node): void => {
    for (const k of n.children) sortTree(k);
    n.children.sort(byDate);
  };
  for (const r of roots) sortTree(r);
  roots.sort(byDate);
  // (6) merge threads whose roots share a base subject.
  const subjects = new Map<string, Node>();
  for (const r of roots) {
    const m = firstMsg(r);
    if (!m?.subject) continue;
    const cur = subjects.get(m.subject);
    if (!cur || (!r.msg && cur.msg) || (cur.msg && firstMsg(cur)!.isReply && r.msg && !m.isReply)) subjects.set(m.subject, r);
  }
  const out: Node[] = [];
  /** Where each root sits in `out`, so a merge replaces it in O(1). */
  const at = new Map<Node, number>();
  for (const r of roots) {
    if (r.parent) continue; // merged into a thread met earlier
    const m = firstMsg(r);
    const t = m?.subject ? subjects.get(m.subject) : undefined;
    if (!m || !t || t === r) {
      at.set(r, out.length);
      out.push(r);
      continue;
    }
    const tReply = firstMsg(t)?.isReply ?? false;
    if (!t.msg && !r.msg) {
      for (const k of [...r.children]) link(t, k);
    } else if (!t.msg) {
      link(t, r);
    } else if (r.msg && m.isReply && !tReply) {
      link(t, r);
    } else {
      const dummy: Node = { msg: null, parent: null, children: [] };
      const pos = at.get(t);
      link(dummy, t);
      link(dummy, r);
      if (pos !== undefined) {
        out[pos] = dummy;
        at.set(dummy, pos);
      } else {
        at.set(dummy, out.length);
        out.push(dummy);
      }
      subjects.set(m.subject, dummy);
    }
  }
  // (7) siblings by date.
  for (const r of out) sortTree(r);
  return out;
}

export function oracleResponse(msgs: ThreadMsg[], algorithm: 'REFERENCES' | 'ORDEREDSUBJECT'): string {
  const roots = algorithm === 'REFERENCES' ? references(msgs) : orderedSubject(msgs);
  return `* THREAD ${roots.map((r) => `(${render(r)})`).join('')}\r\n`.replace('THREAD \r\n', 'THREAD\r\n');
}
