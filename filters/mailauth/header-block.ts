/**
 * Splits a raw header block ("Name: value\r\n continuation\r\n...") into [name, value] pairs,
 * keeping folded continuation lines (RFC 5322 section 2.2.3) inside the value.
 */
export function splitHeaderBlock(block: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of block.split(/\r?\n/)) {
    if (!line) continue;
    if (/^[ \t]/.test(line) && out.length) {
      out[out.length - 1]![1] += `\r\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return out;
}
