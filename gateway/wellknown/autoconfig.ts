import type { MailSettings } from './mail-settings.js';
import { serverEntries } from './mail-settings.js';
import { xmlDocument, type XmlNode } from './xml.js';

/**
 * Thunderbird's autoconfig document (clientConfig version 1.1), asked for at
 * https://autoconfig.<domain>/mail/config-v1.1.xml?emailaddress=<address> and
 * https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml. The user name is the whole
 * address; Thunderbird fills %EMAILADDRESS% in itself.
 */
export function autoconfigXml(domain: string, settings: MailSettings): string {
  const servers: XmlNode[] = serverEntries(settings).map((e) => [
    e.protocol === 'imap' ? 'incomingServer' : 'outgoingServer',
    { type: e.protocol },
    [
      ['hostname', {}, settings.hostname],
      ['port', {}, e.port],
      ['socketType', {}, e.security === 'tls' ? 'SSL' : 'STARTTLS'],
      ['authentication', {}, 'password-cleartext'],
      ['username', {}, '%EMAILADDRESS%'],
    ],
  ]);
  return xmlDocument([
    'clientConfig',
    { version: '1.1' },
    [
      [
        'emailProvider',
        { id: domain },
        [['domain', {}, domain], ['displayName', {}, `${domain} mail`], ['displayShortName', {}, domain], ...servers],
      ],
    ],
  ]);
}
