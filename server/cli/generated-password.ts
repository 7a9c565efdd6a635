import { randomInt } from 'node:crypto';

/** No 0/O, 1/l/I: read off a screen and typed into a phone without mistakes. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** Five groups of four from a 32-letter alphabet: 100 bits, e.g. `k7mq-x2fh-9tcw-pa4n-r8ve`. */
export function generatePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 5; g++) {
    let s = '';
    for (let i = 0; i < 4; i++) s += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(s);
  }
  return groups.join('-');
}
