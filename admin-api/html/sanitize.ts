import sanitize from 'sanitize-html';

/**
 * Received HTML mail made safe to show in the web client, with sanitize-html (an allow-list
 * sanitiser on htmlparser2): only listed tags and attributes survive, scripts, styles sheets,
 * SVG, MathML, frames and forms go with their content, URLs are http(s)/mailto for links and
 * cid:/data:image for images, and inline styles keep only listed properties whose values cannot
 * load anything (no url(), no expression(), no escapes). Remote images are tracking beacons:
 * unless the reader allowed them, `<img src="https://...">` becomes
 * `<img data-heron-remote-src="https://...">` so the app can offer "show images".
 */

export interface SanitizeOptions {
  /** 'block' (default): remote images moved to data-heron-remote-src; 'allow': kept as src. */
  remoteImages?: 'block' | 'allow';
  /** Input beyond this many characters is cut before parsing (bounded work). */
  maxLength?: number;
}

export interface SanitizedHtml {
  html: string;
  /** Remote images found (blocked or allowed): the app shows "show images" when > 0 and blocked. */
  remoteImages: number;
}

export const REMOTE_IMAGE_ATTR = 'data-heron-remote-src';

const TAGS = [
  'a', 'abbr', 'address', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br', 'caption', 'center', 'cite', 'code', 'col', 'colgroup', 'dd', 'del',
  'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins',
  'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
];
/** Dropped together with everything inside them (their text is code or chrome, not mail). */
const DROP_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'select', 'noscript', 'title', 'head', 'template', 'svg', 'math', 'iframe', 'frame', 'frameset',
  'object', 'embed', 'applet', 'xmp', 'noembed', 'noframes', 'plaintext', 'xml', 'button', 'datalist', 'canvas', 'audio', 'video',
];

/** CSS values that cannot load or run anything: no parentheses but rgb()/rgba(), no backslash escapes, no url or expression. */
const PLAIN = /^(?!.*(?:url|expression|javascript|image|@import|attr|var)\s*[(:])[#a-z0-9 .,%'"+_-]+$/i;
const COLOR = /^(?:#[0-9a-f]{3,8}|[a-z]{3,20}|rgba?\(\s*[\d.\s,%]+\))$/i;
const style = (props: string[], re: RegExp) => Object.fromEntries(props.map((p) => [p, [re]]));
const STYLES = {
  '*': {
    ...style(['color', 'background-color', 'border-color'], COLOR),
    ...style(
      [
        'font-size', 'font-weight', 'font-style', 'font-family', 'text-align', 'text-decoration', 'text-transform', 'line-height', 'letter-spacing',
        'vertical-align', 'white-space', 'width', 'height', 'max-width', 'min-width', 'margin', 'margin-top', 'margin-right', 'margin-bottom',
        'margin-left', 'padding', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left', 'border', 'border-top', 'border-right',
        'border-bottom', 'border-left', 'border-width', 'border-style', 'border-collapse', 'border-spacing', 'border-radius', 'display', 'float',
        'clear', 'list-style-type', 'table-layout', 'word-break', 'overflow-wrap',
      ],
      PLAIN,
    ),
  },
};

const DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp);base64,[a-z0-9+/=\s]+$/i;
// eslint-disable-next-line no-control-regex -- control characters inside a URL are how scheme filters get fooled
const CONTROL = /[\u0000-\u0020\u007f]/;

function schemeOf(url: string): string | null {
  return /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase() ?? null;
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const TAG = /<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g;
/** Deeper than any real mail; the parser's work grows with the square of the depth. */
export const MAX_NESTING = 512;

/**
 * Cuts the input where tags nest deeper than MAX_NESTING (a rough count: opens minus closes,
 * void and self-closed tags aside). htmlparser2 and sanitize-html spend time quadratic in the
 * depth of unclosed tags (200,000 nested divs: 40 s); this keeps the work linear in the input.
 */
function capNesting(html: string): string {
  let depth = 0;
  for (const m of html.matchAll(TAG)) {
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (!m[3] && !VOID.has(m[2]!.toLowerCase())) depth++;
    if (depth > MAX_NESTING) return html.slice(0, m.index);
  }
  return html;
}

export function sanitizeMessageHtmlDetailed(html: string, opts: SanitizeOptions = {}): SanitizedHtml {
  const max = opts.maxLength ?? 2_000_000;
  const input = typeof html === 'string' ? capNesting(html.length > max ? html.slice(0, max) : html) : '';
  const allowRemote = opts.remoteImages === 'allow';
  let remoteImages = 0;
  const out = sanitize(input, {
    allowedTags: TAGS,
    nonTextTags: DROP_WITH_CONTENT,
    disallowedTagsMode: 'discard',
    allowedAttributes: {
      '*': ['title', 'dir', 'lang', 'align', 'valign', 'width', 'height', 'style', 'bgcolor'],
      a: ['href', 'name', 'target', 'rel'],
      img: ['src', 'alt', 'border', REMOTE_IMAGE_ATTR],
      td: ['colspan', 'rowspan', 'nowrap'],
      th: ['colspan', 'rowspan', 'nowrap', 'scope'],
      table: ['border', 'cellpadding', 'cellspacing'],
      font: ['color', 'face', 'size'],
      col: ['span'],
      colgroup: ['span'],
      ol: ['start', 'type'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['cid', 'data', 'http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    allowedStyles: STYLES,
    parseStyleAttributes: true,
    allowVulnerableTags: false,
    transformTags: {
      a: (tagName, attribs) => {
        const href = attribs.href ?? '';
        const out: Record<string, string> = { target: '_blank', rel: 'noopener noreferrer nofollow' };
        if (href && !CONTROL.test(href)) out.href = href;
        if (attribs.title) out.title = attribs.title;
        return { tagName, attribs: out };
      },
      img: (tagName, attribs) => {
        // An earlier pass (or the sender) may have held a remote image back already: same rule.
        const src = (attribs.src ?? attribs[REMOTE_IMAGE_ATTR] ?? '').trim();
        const rest: Record<string, string> = { ...attribs };
        delete rest.src;
        delete rest[REMOTE_IMAGE_ATTR];
        const scheme = CONTROL.test(src) ? null : schemeOf(src);
        if (scheme === 'http' || scheme === 'https') {
          remoteImages++;
          return { tagName, attribs: allowRemote ? { ...rest, src } : { ...rest, [REMOTE_IMAGE_ATTR]: src } };
        }
        if (scheme === 'cid' || (scheme === 'data' && DATA_IMAGE.test(src))) return { tagName, attribs: { ...rest, src } };
        return { tagName, attribs: rest };
      },
    },
  });
  return { html: out, remoteImages };
}

/** The web app's message frame: remote images only with `remoteImages: 'allow'`. */
export function sanitizeMessageHtml(html: string, opts: { remoteImages: 'block' | 'allow' }): string {
  return sanitizeMessageHtmlDetailed(html, { remoteImages: opts.remoteImages }).html;
}

/** Remote images blocked (moved to data-heron-remote-src). */
export function sanitizeHtml(html: string, maxLength = 2_000_000, remoteImages = false): string {
  return sanitizeMessageHtmlDetailed(html, { maxLength, remoteImages: remoteImages ? 'allow' : 'block' }).html;
}

/**
 * The one source of Content-Security-Policy strings for what a message brings in (issue 9 item 10).
 * Responses that are data, not a page (message JSON, attachment downloads with the sender's own
 * Content-Type, text/html included): if a browser is navigated to one, it renders in a unique
 * origin with scripts, forms and plugins off, loads nothing and cannot be framed.
 */
export const INERT_RESPONSE_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/**
 * The Content-Security-Policy for the page that shows message HTML (the web app's frame): nothing
 * runs, nothing loads but inline data (and remote images once allowed), no framing but by the app itself.
 */
export function messageHtmlCsp(remoteImages: boolean): string {
  return [
    "default-src 'none'",
    `img-src 'self' data:${remoteImages ? ' https: http:' : ''}`,
    "style-src 'unsafe-inline'",
    'font-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    'sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox',
  ].join('; ');
}
