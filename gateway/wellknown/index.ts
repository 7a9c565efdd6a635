export { createWellKnownHandler, type WellKnownDeps, type WellKnownHandler } from './handler.js';
export { wellKnownHostNames, domainOfHost } from './host-names.js';
export { serverEntries, parseAddress, type MailSettings, type ServerEntry } from './mail-settings.js';
export { autoconfigXml } from './autoconfig.js';
export { autodiscoverXml, autodiscoverErrorXml, readAutodiscoverRequest } from './autodiscover-xml.js';
export { autodiscoverJson } from './autodiscover-json.js';
export { mobileconfig } from './mobileconfig.js';
export { mtaStsPolicy, mtaStsId, type MtaStsSettings } from './mta-sts.js';
