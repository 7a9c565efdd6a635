export { createChecks, type CreateChecksOptions } from './create-checks.js';
export { FilterUnavailableError, isFilterUnavailable } from './errors.js';
export { filterMetrics, type FilterMetrics } from './metrics.js';
export { instrumentCheck } from './instrument.js';
export { createRspamdCheck, type RspamdCheckOptions } from './rspamd/check.js';
export { rspamdVerdict, RSPAMD_FILTER } from './rspamd/verdict.js';
export { createClamavCheck, CLAMAV_FILTER, type ClamavCheckOptions, type OversizePolicy } from './clamav/check.js';
export { clamdInstream, parseHostPort, type ClamdScanResult } from './clamav/instream.js';
export { createMailauthCheck, MAILAUTH_FILTER, type MailauthCheckOptions } from './mailauth/check.js';
export { createTableResolver, type DnsTable } from './mailauth/table-resolver.js';
export {
  createRspamdLearner,
  learnClassForMove,
  type RspamdLearner,
  type RspamdLearnerOptions,
  type LoadRaw,
} from './learning/rspamd-learner.js';
