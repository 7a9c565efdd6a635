/**
 * Allow-list HTML sanitiser for showing received mail in a web client. Rebuilds the markup from
 * tokens: only listed tags and attributes survive, every attribute value is re-escaped, URLs must
 * be http(s)/mailto (links) or cid:/data:image (images: remote images would be tracking beacons),
 * and the contents of script-like elements are dropped entirely. Anything unparseable becomes text.
 */
const ALLOWED_TAGS = new Set([
  'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'center', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'div', 'dl', 'dt',
  'em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'ol', 'p', 'pre', 'q', 's', 'small',
  'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul',
]);
const VOID_TAGS = new Set(['br', 'hr', 'img', 'col']);
/** Elements whose whole content is dropped, not just the tags. */
const DROP_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'noscript', 'template', 'svg', 'math', 'textarea', 'select', 'title', 'head', 'xml', 'applet', 'frameset', 'noembed', 'noframes']);
const ALLOWED_ATTRS = new Set(['href', 'src', 'alt', 'title', 'width', 'height', 'colspan', 'rowspan', 'align', 'valign', 'border', 'cellpadding', 'cellspacing', 'color', 'face', 'size', 'dir', 'lang']);

const TAG = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

const escapeText = (s: string) => s.replace(/&(?!(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});)/gi, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]{1,6});?/gi, (_, h: string) => safeChar(parseInt(h, 16)))
    .replace(/&#(\d{1,7});?/g, (_, d: string) => safeChar(parseInt(d, 10)))
    .replace(/&(amp|lt|gt|quot|apos|colon|tab|newline);?/gi, (_, n: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n' })[n.toLowerCase()] ?? '');
}

function safeChar(code: number): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

function safeUrl(attr: 'href' | 'src', raw: string): string | null {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  const url = decodeEntities(raw).replace(/[\u0000-\u0020\u007f]+/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (attr === 'href') {
    if (scheme === undefined) return url.startsWith('#') ? url : null;
    return scheme === 'http' || scheme === 'https' || scheme === 'mailto' ? url : null;
  }
  if (scheme === 'cid') return url;
  if (scheme === 'data' && /^data:image\/(png|gif|jpe?g|webp);base64,[a-z0-9+/=]+$/i.test(url)) return url;
  return null;
}

function cleanAttrs(tag: string, raw: string): string {
  let out = '';
  for (const m of raw.matchAll(ATTR)) {
    const name = m[1]!.toLowerCase();
    if (!ALLOWED_ATTRS.has(name)) continue;
    let value = m[2] ?? m[3] ?? m[4] ?? '';
    if (name === 'href' || name === 'src') {
      if ((name === 'href') !== (tag === 'a') && !(name === 'src' && tag === 'img')) continue;
      const ok = safeUrl(name, value);
      if (ok === null) continue;
      value = ok;
    } else {
      value = decodeEntities(value);
    }
    out += ` ${name}="${escapeAttr(value)}"`;
  }
  if (tag === 'a') out += ' target="_blank" rel="noopener noreferrer nofollow"';
  return out;
}

export function sanitizeHtml(html: string, maxLength = 2_000_000): string {
  const input = html.length > maxLength ? html.slice(0, maxLength) : html;
  const out: string[] = [];
  const open: string[] = [];
  let dropping: string | null = null;
  let last = 0;
  for (const m of input.matchAll(TAG)) {
    const text = input.slice(last, m.index);
    last = m.index + m[0].length;
    if (!dropping) out.push(escapeText(text));
    const name = m[2]?.toLowerCase();
    if (!name) continue; // comment, doctype, CDATA, processing instruction
    const closing = m[1] === '/';
    if (dropping) {
      if (closing && name === dropping) dropping = null;
      continue;
    }
    if (DROP_WITH_CONTENT.has(name)) {
      if (!closing && !/\/\s*$/.test(m[3] ?? '')) dropping = name;
      continue;
    }
    if (!ALLOWED_TAGS.has(name)) continue;
    if (closing) {
      const at = open.lastIndexOf(name);
      if (at < 0) continue;
      // Close everything opened inside it too, so the output is always balanced.
      while (open.length > at) out.push(`</${open.pop()!}>`);
      continue;
    }
    out.push(`<${name}${cleanAttrs(name, m[3] ?? '')}>`);
    if (!VOID_TAGS.has(name)) open.push(name);
  }
  if (!dropping) out.push(escapeText(input.slice(last)));
  while (open.length) out.push(`</${open.pop()!}>`);
  return out.join('');
}
