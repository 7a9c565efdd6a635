import type { MimePart } from '../../domain/index.js';

/**
 * IMAP part numbers (RFC 3501 6.4.5): the children of a multipart are 1, 2, ...; a message that is
 * not multipart has one part, 1, its body; the parts of an encapsulated message/rfc822 are
 * numbered under the message part ("2.1"), and a non-multipart encapsulated message has one, "2.1".
 */
export interface NumberedPart {
  part: MimePart;
  number: string;
}

/** The numbered parts directly under the message whose root is `root`. */
export function topParts(root: MimePart): NumberedPart[] {
  return root.children ? number(root.children, '') : [{ part: root, number: '1' }];
}

/** The numbered parts directly under part `n` (children of a multipart, or the parts of an encapsulated message). */
export function subParts({ part, number: n }: NumberedPart): NumberedPart[] {
  if (part.children) return number(part.children, `${n}.`);
  const inner = part.message?.part;
  if (!inner) return [];
  return inner.children ? number(inner.children, `${n}.`) : [{ part: inner, number: `${n}.1` }];
}

function number(children: MimePart[], prefix: string): NumberedPart[] {
  return children.map((part, i) => ({ part, number: `${prefix}${i + 1}` }));
}

/** Pushes `items` so that popping gives them in order (a loop: a spread of 100k items overflows the call stack). */
export function pushReversed<T>(stack: T[], items: readonly T[]): void {
  for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]!);
}

/** Every numbered part, depth first, in part-number order. Iterative: depth is bounded by the parser, but not by the stack here. */
export function* walkParts(root: MimePart): Generator<NumberedPart> {
  const stack: NumberedPart[] = [];
  pushReversed(stack, topParts(root));
  while (stack.length > 0) {
    const p = stack.pop()!;
    yield p;
    pushReversed(stack, subParts(p));
  }
}

/** Lower-cased `type/subtype`. */
export function mimeType(part: MimePart): string {
  return `${part.type}/${part.subtype}`.toLowerCase();
}
