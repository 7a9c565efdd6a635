import addressparser from 'nodemailer/lib/addressparser/index.js';

type Parsed = { address?: string; group?: Parsed[] };
const flatten = (list: Parsed[]): string[] => list.flatMap((a) => (a.group ? flatten(a.group) : [a.address ?? '']));

/** The lower-case domains of every address in the given From/Sender values. */
export function fromDomains(values: string[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    for (const a of flatten(addressparser(v) as Parsed[])) {
      const at = a.lastIndexOf('@');
      if (at > 0) out.add(a.slice(at + 1).toLowerCase().replace(/\.$/, ''));
    }
  }
  return [...out];
}
