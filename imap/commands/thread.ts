/**
 * THREAD / UID THREAD (RFC 5256 4) with ORDEREDSUBJECT and REFERENCES. Dates are the SORT DATE
 * (the Date header, else INTERNALDATE); ties keep sequence order. The store gives only the
 * fields threading needs (MailStore.listThreadFields). A sender chooses the threads' shape
 * (a 50,000-message reply chain, 100,000 References), so nothing here recurses or walks a
 * chain: the loop check of step 1 asks a link-cut forest (O(log n)), tree passes use explicit
 * stacks, unlinks are O(1), and each message's References are capped.
 */
import type { CommandSpec } from '../session/command-spec.js';
import { ImapBad } from '../session/imap-error.js';
import { cutFromParent, findRoot, linkUnder, type ForestNode } from './link-cut-forest.js';
import { searchView } from './search.js';
import { SELECTED } from './states.js';

export interface ThreadMsg {
  n: number;
  seq: number;
  date: number;
  subject: string;
  isReply: boolean;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
}

/**
 * References a message's list is cut to: its first (the thread's start, which RFC 5322 3.6.4
 * trimming keeps too) and the last ones before the parent. Real mail carries a few dozen at most.
 */
export const MAX_REFERENCES = 1000;

/** Messages (or nodes) threaded between two chances for other sessions to run. */
const SLICE = 10_000;

/** The children of every leaf: a node gets an array of its own with its first child. Never modified. */
const NONE: Node[] = [];

interface Node extends ForestNode {
  msg: ThreadMsg | null;
  parent: Node | null;
  children: Node[];
  /** Position in parent.children while the tree is built (step 1), for O(1) unlinking. */
  at: number;
}

// Every field written in one literal: one object shape for all nodes (the forest's three included).
const newNode = (msg: ThreadMsg | null, children: Node[] = NONE): Node => ({ msg, parent: null, children, at: 0, lcL: null, lcR: null, lcP: null });

const byDate = (a: Node, b: Node): number => {
  const x = firstMsg(a);
  const y = firstMsg(b);
  if (!x || !y) return x ? -1 : y ? 1 : 0;
  return x.date - y.date || x.seq - y.seq;
};

/** A dummy's date and subject are those of its first child (RFC 5256 4, REFERENCES steps 5-6). */
function firstMsg(node: Node): ThreadMsg | null {
  let n: Node | undefined = node;
  while (n && !n.msg) n = n.children[0];
  return n?.msg ?? null;
}

/** `(1 2)(3 (4)(5))`: one child continues the chain, several are each parenthesised. */
function* render(roots: Node[]): Generator<void, string> {
  let steps = 0;
  // One string grown piece by piece: V8 joins the pieces once, when the answer is written.
  let out = '';
  const todo: Array<Node | string> = [];
  const parenthesised = (nodes: Node[]): void => {
    for (let i = nodes.length - 1; i >= 0; i--) todo.push(')', nodes[i]!, '(');
  };
  parenthesised(roots);
  for (let t = todo.pop(); t !== undefined; t = todo.pop()) {
    if (++steps % SLICE === 0) yield;
    if (typeof t === 'string') {
      out += t;
      continue;
    }
    const kids = t.children;
    if (t.msg) out += t.msg.n;
    if (!kids.length) continue;
    if (t.msg) out += ' ';
    if (kids.length === 1 && t.msg) todo.push(kids[0]!);
    else parenthesised(kids);
  }
  return out;
}

/** Every node below `roots`, each before its descendants: walked backwards, children come first. */
function preorder(roots: Node[]): Node[] {
  const order: Node[] = [];
  const todo = [...roots];
  for (let n = todo.pop(); n; n = todo.pop()) {
    order.push(n);
    for (const k of n.children) todo.push(k);
  }
  return order;
}

/** ORDEREDSUBJECT: by base subject, each thread's first message the parent of the others. */
function orderedSubject(msgs: ThreadMsg[]): Node[] {
  const groups = new Map<string, ThreadMsg[]>();
  const sorted = [...msgs].sort((a, b) => a.date - b.date || a.seq - b.seq);
  for (const m of sorted) {
    const g = groups.get(m.subject);
    if (g) g.push(m);
    else groups.set(m.subject, [m]);
  }
  const roots: Node[] = [];
  for (const g of groups.values()) {
    const root = newNode(g[0]!, []);
    for (const m of g.slice(1)) {
      const k = newNode(m);
      k.parent = root;
      root.children.push(k);
    }
    roots.push(root);
  }
  return roots.sort(byDate);
}

/** Sibling order does not matter until step 5 sorts it: the last sibling takes the removed one's place. */
function unlink(child: Node): void {
  const p = child.parent;
  if (!p) return;
  const last = p.children.pop()!;
  if (last !== child) {
    p.children[child.at] = last;
    last.at = child.at;
  }
  child.parent = null;
}

function link(parent: Node, child: Node): void {
  unlink(child);
  child.parent = parent;
  if (parent.children === NONE) parent.children = [];
  child.at = parent.children.length;
  parent.children.push(child);
}

/**
 * Whether linking `child` (a root) below `parent` would close a loop (RFC 5256 4 step 1.A):
 * only if child is parent's tree root. A node without children is nobody's ancestor.
 */
const wouldLoop = (parent: Node, child: Node): boolean => parent === child || (child.children.length > 0 && findRoot(parent) === child);

/** The references step 1 links: the list, else In-Reply-To, capped at MAX_REFERENCES. */
function refsOf(m: ThreadMsg): string[] {
  const refs = m.references.length ? m.references : m.inReplyTo ? [m.inReplyTo] : [];
  return refs.length <= MAX_REFERENCES ? refs : [refs[0]!, ...refs.slice(refs.length - MAX_REFERENCES + 1)];
}

/** REFERENCES (RFC 5256 4, after Jamie Zawinski's algorithm). */
function* references(msgs: ThreadMsg[]): Generator<void, Node[]> {
  let steps = 0;
  const table = new Map<string, Node>();
  const all: Node[] = [];
  const get = (id: string): Node => {
    let c = table.get(id);
    if (!c) {
      c = newNode(null);
      table.set(id, c);
      all.push(c);
    }
    return c;
  };
  // Step 1 keeps the forest in step with parent/children; later steps only use the latter.
  const attach = (parent: Node, child: Node): void => {
    link(parent, child);
    linkUnder(parent, child);
  };
  for (const m of msgs) {
    if (++steps % SLICE === 0) yield;
    // (1)(A): a missing or duplicate Message-ID makes the message unique.
    const id = m.messageId;
    let node: Node;
    if (id && !table.get(id)?.msg) {
      node = get(id);
    } else {
      node = newNode(null);
      all.push(node);
    }
    node.msg = m;
    const refs = refsOf(m);
    // (1)(B): link the references in order, never creating a loop or re-parenting.
    for (let i = 0; i + 1 < refs.length; i++) {
      const p = get(refs[i]!);
      const c = get(refs[i + 1]!);
      if (!c.parent && !wouldLoop(p, c)) attach(p, c);
    }
    // (1)(C): the last reference is the parent. A parent the message already has came from
    // another message's (maybe truncated) References and is dropped, even when the new link
    // would make a loop and is not made either.
    if (refs.length) {
      const p = get(refs[refs.length - 1]!);
      if (node.parent) {
        unlink(node);
        cutFromParent(node);
      }
      if (!wouldLoop(p, node)) attach(p, node);
    }
  }
  // (2) root set; (4) prune dummies, each node's children before the node itself.
  // `owner` is the node above the level (null for the root set): promoted children move to it.
  const pruneLevel = (owner: Node | null, siblings: Node[]): Node[] => {
    // Most levels hold only messages: nothing to prune, no new array.
    let keep = true;
    for (const c of siblings) if (!c.msg) keep = false;
    if (keep) return siblings;
    const out: Node[] = [];
    for (const c of siblings) {
      if (c.msg) out.push(c);
      else if (c.children.length === 0) continue;
      else if (!owner && c.children.length > 1) out.push(c);
      else
        for (const k of c.children) {
          k.parent = owner;
          out.push(k);
        }
    }
    return out;
  };
  let roots = all.filter((c) => !c.parent);
  const before = preorder(roots);
  for (let i = before.length - 1; i >= 0; i--) {
    if (++steps % SLICE === 0) yield;
    const n = before[i]!;
    if (n.children.length) n.children = pruneLevel(n, n.children);
  }
  roots = pruneLevel(null, roots);
  for (const r of roots) r.parent = null;
  // (5) sort the root set by date (a dummy by its first child, children sorted first).
  const pruned = preorder(roots);
  for (let i = pruned.length - 1; i >= 0; i--) {
    if (++steps % SLICE === 0) yield;
    const n = pruned[i]!;
    if (n.children.length > 1) n.children.sort(byDate);
  }
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
  /** Nodes given children by a merge: the only ones whose children step 7 must sort again. */
  const merged = new Set<Node>();
  for (const r of roots) {
    if (++steps % SLICE === 0) yield;
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
      // r is dropped: its children move without unlinking one by one.
      if (t.children === NONE) t.children = [];
      for (const k of r.children) {
        k.parent = t;
        t.children.push(k);
      }
      r.children = NONE;
      merged.add(t);
    } else if (!t.msg) {
      link(t, r);
      merged.add(t);
    } else if (r.msg && m.isReply && !tReply) {
      link(t, r);
      merged.add(t);
    } else {
      const dummy = newNode(null, []);
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
      merged.add(dummy);
    }
  }
  // (7) siblings by date. Every other node's children were sorted in step 5; a merged node
  // below another merged one (under a new dummy) is sorted first, as a bottom-up pass would.
  for (const n of merged) if (n.parent && n.children.length > 1) n.children.sort(byDate);
  for (const n of merged) if (!n.parent && n.children.length > 1) n.children.sort(byDate);
  return out;
}

/** The untagged THREAD response for `msgs` (sequence order), a slice of work per step. */
function* answer(msgs: ThreadMsg[], algorithm: 'REFERENCES' | 'ORDEREDSUBJECT'): Generator<void, string> {
  const roots = algorithm === 'REFERENCES' ? yield* references(msgs) : orderedSubject(msgs);
  return roots.length ? `* THREAD ${yield* render(roots)}\r\n` : '* THREAD\r\n';
}

/** The answer in one go (tests). */
export function threadResponse(msgs: ThreadMsg[], algorithm: 'REFERENCES' | 'ORDEREDSUBJECT'): string {
  const steps = answer(msgs, algorithm);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** The answer, letting other sessions' work run between slices (a 500,000-message mailbox). */
async function threadResponseShared(msgs: ThreadMsg[], algorithm: 'REFERENCES' | 'ORDEREDSUBJECT'): Promise<string> {
  const steps = answer(msgs, algorithm);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export const thread: CommandSpec<'THREAD'> = {
  states: SELECTED,
  expungeAllowed: (cmd) => cmd.uid,
  async run(session, cmd, deps) {
    if (cmd.algorithm !== 'ORDEREDSUBJECT' && cmd.algorithm !== 'REFERENCES') throw new ImapBad('Unknown threading algorithm');
    const { uids } = await searchView(session, deps, cmd.key);
    const sel = session.selected!;
    // Sequence numbers are positions in `uids` only when the view holds nothing else; an
    // answer in them is kept and reused under that condition alone.
    const reusable = cmd.uid || sel.view.size === uids.length;
    const kind = `${cmd.algorithm} ${cmd.uid ? 'UID' : 'SEQ'}`;
    let text = reusable ? deps.threads.answer(sel.id, sel.uidValidity, kind, uids) : undefined;
    if (text === undefined) {
      const msgs: ThreadMsg[] = [];
      if (uids.length) {
        for (const f of await deps.threads.fields(deps.mail, sel.id, sel.uidValidity, uids)) {
          const seq = sel.view.seqOf(f.uid);
          if (!seq) continue;
          msgs.push({ n: cmd.uid ? f.uid : seq, seq, date: f.date, subject: f.baseSubject, isReply: f.subjectIsReply, messageId: f.messageId, inReplyTo: f.inReplyTo, references: f.references });
        }
      }
      text = await threadResponseShared(msgs, cmd.algorithm);
      // Messages the store no longer has (expunged, not yet told) would make a different set.
      if (reusable && msgs.length === uids.length) deps.threads.keepAnswer(sel.id, sel.uidValidity, kind, uids, text);
    }
    session.writeRaw(text);
  },
};
