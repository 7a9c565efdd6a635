/**
 * Small, allocation-light reads of a raw RFC 5322 message's header block, for what the relay
 * needs (Message-ID, From, auto-reply markers) without a full MIME parse.
 */
export function headerEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return raw.length;
  if (crlf < 0) return lf + 2;
  if (lf < 0) return crlf + 4;
  return Math.min(crlf + 4, lf + 2);
}

/** The header block as text (latin1 keeps bytes one-to-one), capped. */
export function headerBlock(raw: Buffer, max = 256 * 1024): string {
  return raw.subarray(0, Math.min(headerEnd(raw), max)).toString('latin1');
}

/** Every value of a header field, unfolded (RFC 5322 2.2.3), in order. */
export function headerValues(block: string, name: string): string[] {
  const out: string[] = [];
  const lower = name.toLowerCase();
  const lines = block.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0 || /^[ \t]/.test(line)) continue;
    if (line.slice(0, colon).trim().toLowerCase() !== lower) continue;
    let value = line.slice(colon + 1);
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1]!)) value += ' ' + lines[++i]!.trim();
    out.push(value.trim());
  }
  return out;
}

export function headerValue(block: string, name: string): string | null {
  return headerValues(block, name)[0] ?? null;
}

/** Removes every instance of the named fields (with folded continuations) from a message. */
export function stripHeaders(raw: Buffer, names: string[]): Buffer {
  const end = headerEnd(raw);
  const lower = new Set(names.map((n) => n.toLowerCase()));
  const lines = raw.subarray(0, end).toString('latin1').split(/(?<=\n)/);
  const kept: string[] = [];
  let dropping = false;
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (!dropping) kept.push(line);
      continue;
    }
    const colon = line.indexOf(':');
    dropping = colon > 0 && lower.has(line.slice(0, colon).trim().toLowerCase());
    if (!dropping) kept.push(line);
  }
  return Buffer.concat([Buffer.from(kept.join(''), 'latin1'), raw.subarray(end)]);
}

/** The addr-spec inside a Message-ID-like value, angle brackets included. */
export function firstMsgId(value: string | null): string | null {
  if (!value) return null;
  const m = /<[^<>\s]+>/.exec(value);
  return m ? m[0] : null;
}
