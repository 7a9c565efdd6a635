/**
 * Renders header fields a check asked to add. Values may come from scanner output that echoes
 * message content, so line breaks are removed (a CR/LF would start a forged header) and length
 * is capped well under RFC 5322's 998-octet line limit.
 */
export function renderHeaderField(name: string, value: string): string | null {
  if (!/^[\x21-\x39\x3b-\x7e]{1,76}$/.test(name)) return null;
  const flat = value.replace(/[\r\n\0]+/g, ' ').trim().slice(0, 900);
  return `${name}: ${flat}\r\n`;
}
