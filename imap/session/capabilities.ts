/**
 * The capability list (RFC 3501 7.2.1, RFC 9051 7.2.2). Before login it is short (what a client
 * needs to log in); after login it names every extension, each implemented with its RFC's
 * semantics in imap/commands/.
 */
export interface CapabilityContext {
  authenticated: boolean;
  /** TLS is active (implicit or after STARTTLS). */
  tls: boolean;
  /** STARTTLS is possible here (plain port, not yet TLS). */
  starttls: boolean;
  /** LOGIN/AUTHENTICATE need TLS first (RFC 3501 6.2.3 LOGINDISABLED). */
  loginNeedsTls: boolean;
  compressed: boolean;
  appendLimit: number;
}

const ALWAYS = ['IMAP4rev1', 'IMAP4rev2', 'LITERAL+', 'SASL-IR', 'ID', 'ENABLE', 'IDLE'];

/** After login (RFC numbers in the README's IMAP section). */
export const EXTENSIONS = [
  'NAMESPACE',
  'UNSELECT',
  'CHILDREN',
  'UIDPLUS',
  'MOVE',
  'CONDSTORE',
  'QRESYNC',
  'ESEARCH',
  'SEARCHRES',
  'WITHIN',
  'SORT',
  'SORT=DISPLAY',
  'ESORT',
  'THREAD=ORDEREDSUBJECT',
  'THREAD=REFERENCES',
  'CONTEXT=SEARCH',
  'CONTEXT=SORT',
  'LIST-EXTENDED',
  'LIST-STATUS',
  'SPECIAL-USE',
  'CREATE-SPECIAL-USE',
  'MULTIAPPEND',
  'CATENATE',
  'URLAUTH',
  'URLAUTH=BINARY',
  'BINARY',
  'QUOTA',
  'QUOTA=RES-STORAGE',
  'UTF8=ACCEPT',
  'STATUS=SIZE',
  'OBJECTID',
  'SAVEDATE',
  'PREVIEW',
  'NOTIFY',
  'X-GM-EXT-1',
];

export function capabilities(ctx: CapabilityContext, enabledExtensions: readonly string[] = EXTENSIONS): string[] {
  const caps = [...ALWAYS];
  if (ctx.starttls && !ctx.tls) caps.push('STARTTLS');
  if (ctx.loginNeedsTls && !ctx.tls) caps.push('LOGINDISABLED');
  else if (!ctx.authenticated) caps.push('AUTH=PLAIN');
  // RFC 4978: COMPRESS is valid once authenticated.
  if (!ctx.compressed && ctx.authenticated) caps.push('COMPRESS=DEFLATE');
  if (ctx.authenticated) {
    caps.push(...enabledExtensions);
    caps.push(`APPENDLIMIT=${ctx.appendLimit}`);
  }
  return caps;
}
