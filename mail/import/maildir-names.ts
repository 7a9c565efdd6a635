/**
 * Maildir++ folder names: ".Work.Projects" is Work/Projects; Dovecot writes non-ASCII names in
 * IMAP's modified UTF-7 (RFC 3501 5.1.3). Heron's own export writes UTF-8 and escapes the
 * characters that cannot be in a level name as "^" + two hex digits (".", "/", "^").
 */

/** Decodes modified UTF-7 ("&AOk-t&AOk-" -> "été"); text that is not valid is left as it is. */
export function decodeModifiedUtf7(name: string): string {
  return name.replace(/&([A-Za-z0-9+,]*)-/g, (whole, b64: string) => {
    if (b64 === '') return '&';
    const bytes = Buffer.from(b64.replace(/,/g, '/'), 'base64');
    if (bytes.length % 2 !== 0) return whole;
    return bytes.swap16().toString('utf16le');
  });
}

export function decodeLevel(level: string): string {
  return decodeModifiedUtf7(level).replace(/\^([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export function encodeLevel(level: string): string {
  return level.replace(/[.^/&]/g, (c) => `^${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** ".Work.Projects" -> "Work/Projects". */
export function folderToPath(folder: string): string {
  return folder.replace(/^\./, '').split('.').map(decodeLevel).join('/');
}

/** "Work/Projects" -> ".Work.Projects". */
export function pathToFolder(path: string): string {
  return '.' + path.split('/').map(encodeLevel).join('.');
}
