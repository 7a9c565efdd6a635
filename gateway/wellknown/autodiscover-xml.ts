import type { MailSettings } from './mail-settings.js';
import { serverEntries } from './mail-settings.js';
import { xmlDocument, type XmlNode } from './xml.js';

/** Outlook's "POX" autodiscover (MS-OXDSCLI 2.2.4): the request and response namespaces. */
export const AUTODISCOVER_RESPONSE_NS = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
export const OUTLOOK_RESPONSE_SCHEMA = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

/** Largest request body read: a real request is a few hundred bytes. */
export const AUTODISCOVER_MAX_REQUEST = 16 * 1024;

export interface AutodiscoverRequest {
  address: string | null;
  /** The response schema the client accepts; null when it did not say (Outlook's default applies). */
  responseSchema: string | null;
}

/**
 * Reads the two fields Heron needs from the request body. A bounded, non-nested element match
 * is linear in the input, where a general XML parser would also have to resist entity expansion.
 */
export function readAutodiscoverRequest(body: string): AutodiscoverRequest | null {
  if (!/<(?:\w+:)?Autodiscover[\s>]/.test(body)) return null;
  const field = (name: string): string | null => {
    const m = new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]{0,200})?>([^<]{0,400})</(?:\\w+:)?${name}>`).exec(body);
    return m ? m[1]!.trim() : null;
  };
  return { address: field('EMailAddress'), responseSchema: field('AcceptableResponseSchema') };
}

/** MS-OXDSCLI 2.2.4.2.1.1: an Account of type email with one Protocol per server, settings only. */
export function autodiscoverXml(address: string, settings: MailSettings): string {
  const protocols: XmlNode[] = [];
  // Outlook takes one IMAP and one SMTP server: the implicit TLS ones when they are on.
  for (const kind of ['imap', 'smtp'] as const) {
    const entry = serverEntries(settings).find((e) => e.protocol === kind);
    if (!entry) continue;
    protocols.push([
      'Protocol',
      {},
      [
        ['Type', {}, kind.toUpperCase()],
        ['Server', {}, settings.hostname],
        ['Port', {}, entry.port],
        ['DomainRequired', {}, 'off'],
        ['LoginName', {}, address],
        ['SPA', {}, 'off'],
        ['SSL', {}, 'on'],
        ['Encryption', {}, entry.security === 'tls' ? 'SSL' : 'TLS'],
        ['AuthRequired', {}, 'on'],
      ],
    ]);
  }
  return xmlDocument([
    'Autodiscover',
    { xmlns: AUTODISCOVER_RESPONSE_NS },
    [['Response', { xmlns: OUTLOOK_RESPONSE_SCHEMA }, [['Account', {}, [['AccountType', {}, 'email'], ['Action', {}, 'settings'], ...protocols]]]]],
  ]);
}

/** MS-OXDSCLI 2.2.4.2.2: 600 invalid request, 601 requested schema not available. */
export function autodiscoverErrorXml(code: 600 | 601, message: string, now = new Date()): string {
  return xmlDocument([
    'Autodiscover',
    { xmlns: AUTODISCOVER_RESPONSE_NS },
    [
      [
        'Response',
        {},
        [
          [
            'Error',
            { Time: now.toISOString().slice(11, 23), Id: '0' },
            [
              ['ErrorCode', {}, code],
              ['Message', {}, message],
              ['DebugData', {}, []],
            ],
          ],
        ],
      ],
    ],
  ]);
}
