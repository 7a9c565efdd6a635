/**
 * Text of an HTML body for the search index and snippets: tags dropped (block elements become
 * line breaks), script/style/head content and comments skipped, character references decoded.
 * One left-to-right pass, so a hostile document (100k nested elements, megabytes of tags) costs
 * what its length costs; html-to-text, which builds a DOM, is kept for the API's text view.
 */

const BLOCK = new Set(['p', 'div', 'br', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'ul', 'ol', 'blockquote', 'section', 'article', 'header', 'footer', 'hr', 'pre', 'dd', 'dt', 'address', 'center']);
const SKIP = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'svg']);
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®', trade: '™', hellip: '…',
  mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', bull: '•', middot: '·', euro: '€',
  pound: '£', yen: '¥', cent: '¢', deg: '°', laquo: '«', raquo: '»', shy: '', zwnj: '', zwj: '', times: '×',
  auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', eacute: 'é', egrave: 'è',
  agrave: 'à', aacute: 'á', ccedil: 'ç', ntilde: 'ñ', oacute: 'ó', iacute: 'í', uacute: 'ú', ecirc: 'ê',
};

export function htmlText(html: string): string {
  const out: string[] = [];
  let pos = 0;
  const n = html.length;
  while (pos < n) {
    const lt = html.indexOf('<', pos);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > pos) out.push(decodeEntities(html.slice(pos, textEnd)));
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      pos = end < 0 ? n : end + 3;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) break;
    pos = gt + 1;
    const closing = html.charCodeAt(lt + 1) === 0x2f;
    const nameStart = closing ? lt + 2 : lt + 1;
    let nameEnd = nameStart;
    while (nameEnd < gt && nameEnd - nameStart < 20 && isNameChar(html.charCodeAt(nameEnd), nameEnd === nameStart)) nameEnd++;
    if (nameEnd === nameStart) continue;
    const name = html.slice(nameStart, nameEnd).toLowerCase();
    if (!closing && SKIP.has(name)) {
      // Skip to the matching end tag (case-insensitive) without looking inside.
      const re = new RegExp(`</${name}\\s*>`, 'gi');
      re.lastIndex = pos;
      const end = re.exec(html);
      pos = end ? end.index + end[0].length : n;
      continue;
    }
    if (BLOCK.has(name)) out.push('\n');
    else if (name === 'td' || name === 'th') out.push(' ');
  }
  return out
    .join('')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ ?\n[\s]*/g, '\n')
    .trim();
}

function isNameChar(c: number, first: boolean): boolean {
  const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return first ? letter : letter || (c >= 0x30 && c <= 0x39) || c === 0x2d;
}

function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref] ?? NAMED[ref.toLowerCase()] ?? whole;
  });
}
