/**
 * The host names mail clients and senders look up under a mail domain, each pointed at the
 * mail server (CNAME) and each needing to be on its certificate:
 * - autoconfig: Thunderbird (https://autoconfig.<domain>/mail/config-v1.1.xml);
 * - autodiscover: Outlook and many phone clients;
 * - mta-sts: the RFC 8461 3.3 policy host.
 */
export function wellKnownHostNames(domain: string): string[] {
  return [`autoconfig.${domain}`, `autodiscover.${domain}`, `mta-sts.${domain}`];
}

/** The mail domain a well-known host name stands for, or the name itself when it has no such prefix. */
export function domainOfHost(host: string): string {
  const m = /^(?:autoconfig|autodiscover|mta-sts)\.(.+)$/i.exec(host);
  return (m ? m[1]! : host).toLowerCase();
}
