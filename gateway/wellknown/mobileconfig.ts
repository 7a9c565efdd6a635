import { createHash } from 'node:crypto';
import type { MailSettings } from './mail-settings.js';
import { serverEntries } from './mail-settings.js';
import { plistXml } from './plist.js';

export const MOBILECONFIG_TYPE = 'application/x-apple-aspen-config';

/** A stable UUID (v5-shaped) per address, so downloading the profile again replaces the old one. */
function stableUuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex').toUpperCase();
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

function reverseDns(name: string): string {
  return name.split('.').reverse().join('.');
}

/**
 * An Apple configuration profile with one com.apple.mail.managed payload (Apple's Configuration
 * Profile Reference, "Mail"): IMAP and SMTP over implicit TLS when those are on, the address as
 * user name, the password asked for on the device. Unsigned: iOS shows it as not verified.
 */
export function mobileconfig(address: string, settings: MailSettings): string {
  const entries = serverEntries(settings);
  const incoming = entries.find((e) => e.protocol === 'imap');
  const outgoing = entries.find((e) => e.protocol === 'smtp');
  if (!incoming || !outgoing) throw new Error('mobileconfig: IMAP and submission must both be on');
  const id = `${reverseDns(settings.hostname)}.mail.${address}`;
  return plistXml({
    PayloadContent: [
      {
        EmailAccountDescription: address,
        EmailAccountName: address.slice(0, address.lastIndexOf('@')),
        EmailAccountType: 'EmailTypeIMAP',
        EmailAddress: address,
        IncomingMailServerAuthentication: 'EmailAuthPassword',
        IncomingMailServerHostName: settings.hostname,
        IncomingMailServerPortNumber: incoming.port,
        IncomingMailServerUseSSL: incoming.security === 'tls',
        IncomingMailServerUsername: address,
        OutgoingMailServerAuthentication: 'EmailAuthPassword',
        OutgoingMailServerHostName: settings.hostname,
        OutgoingMailServerPortNumber: outgoing.port,
        OutgoingMailServerUseSSL: outgoing.security === 'tls',
        OutgoingMailServerUsername: address,
        OutgoingPasswordSameAsIncomingPassword: true,
        PayloadDescription: `Mail account ${address}`,
        PayloadDisplayName: address,
        PayloadIdentifier: `${id}.account`,
        PayloadType: 'com.apple.mail.managed',
        PayloadUUID: stableUuid(`${id}.account`),
        PayloadVersion: 1,
      },
    ],
    PayloadDescription: `Mail settings for ${address}`,
    PayloadDisplayName: `${address} (${settings.hostname})`,
    PayloadIdentifier: id,
    PayloadRemovalDisallowed: false,
    PayloadType: 'Configuration',
    PayloadUUID: stableUuid(id),
    PayloadVersion: 1,
  });
}

/** A file name for Content-Disposition: letters, digits, dot, dash and @ only. */
export function mobileconfigFileName(address: string): string {
  return `${address.replace(/[^\w.@-]/g, '_')}.mobileconfig`;
}
