/**
 * HERON_* environment variables (CONTRACT.md) and where each lands in the config tree.
 * `kind` says how the string is read.
 */
type Kind = 'string' | 'port' | 'list' | 'int' | 'bool';

export const ENV_VARS: ReadonlyArray<{ name: string; path: string[]; kind: Kind }> = [
  { name: 'HERON_DATA_DIR', path: ['dataDir'], kind: 'string' },
  { name: 'HERON_HOSTNAME', path: ['hostname'], kind: 'string' },
  { name: 'HERON_DOMAINS', path: ['domains'], kind: 'list' },
  { name: 'HERON_BIND', path: ['bind'], kind: 'string' },
  { name: 'HERON_SMTP_PORT', path: ['ports', 'smtp'], kind: 'port' },
  { name: 'HERON_SUBMISSION_PORT', path: ['ports', 'submission'], kind: 'port' },
  { name: 'HERON_SUBMISSIONS_PORT', path: ['ports', 'submissions'], kind: 'port' },
  { name: 'HERON_IMAP_PORT', path: ['ports', 'imap'], kind: 'port' },
  { name: 'HERON_IMAPS_PORT', path: ['ports', 'imaps'], kind: 'port' },
  { name: 'HERON_API_PORT', path: ['ports', 'api'], kind: 'port' },
  { name: 'HERON_HTTP_PORT', path: ['ports', 'http'], kind: 'port' },
  { name: 'HERON_HTTPS_PORT', path: ['ports', 'https'], kind: 'port' },
  { name: 'HERON_STORE', path: ['store', 'kind'], kind: 'string' },
  { name: 'HERON_MONGODB_URI', path: ['store', 'mongodbUri'], kind: 'string' },
  { name: 'HERON_REDIS_URL', path: ['redisUrl'], kind: 'string' },
  { name: 'HERON_REDIS_PREFIX', path: ['redisPrefix'], kind: 'string' },
  { name: 'HERON_ROLES', path: ['roles'], kind: 'list' },
  { name: 'HERON_ADVERTISE_HOST', path: ['cluster', 'advertiseHost'], kind: 'string' },
  { name: 'HERON_HEARTBEAT_INTERVAL', path: ['cluster', 'heartbeatInterval'], kind: 'string' },
  { name: 'HERON_MISSED_HEARTBEATS', path: ['cluster', 'missedHeartbeats'], kind: 'int' },
  { name: 'HERON_TLS_CERT', path: ['tls', 'cert'], kind: 'string' },
  { name: 'HERON_TLS_KEY', path: ['tls', 'key'], kind: 'string' },
  { name: 'HERON_ACME', path: ['tls', 'acme', 'enabled'], kind: 'bool' },
  { name: 'HERON_ACME_DIRECTORY', path: ['tls', 'acme', 'directoryUrl'], kind: 'string' },
  { name: 'HERON_ACME_EMAIL', path: ['tls', 'acme', 'email'], kind: 'string' },
  { name: 'HERON_ACME_CA_FILE', path: ['tls', 'acme', 'caFile'], kind: 'string' },
  { name: 'HERON_MTA_STS_MODE', path: ['mtaSts', 'mode'], kind: 'string' },
  { name: 'HERON_MAX_MESSAGE_SIZE', path: ['limits', 'maxMessageSize'], kind: 'string' },
  { name: 'HERON_MAX_RECIPIENTS', path: ['limits', 'maxRecipients'], kind: 'int' },
  { name: 'HERON_MAX_CONNECTIONS_PER_IP', path: ['limits', 'maxConnectionsPerIp'], kind: 'int' },
  { name: 'HERON_MAX_HTTP_CONNECTIONS_PER_IP', path: ['limits', 'maxHttpConnectionsPerIp'], kind: 'int' },
  { name: 'HERON_METRICS_PORT', path: ['metrics', 'port'], kind: 'port' },
  { name: 'HERON_METRICS_BIND', path: ['metrics', 'bind'], kind: 'string' },
  { name: 'HERON_METRICS_TOKEN', path: ['metrics', 'token'], kind: 'string' },
  { name: 'HERON_SMS_DAILY_CAP', path: ['security', 'sms', 'globalDay'], kind: 'int' },
  { name: 'HERON_SMS_ALLOW_COUNTRIES', path: ['security', 'sms', 'allowCountryCodes'], kind: 'list' },
  { name: 'HERON_SMS_DENY_COUNTRIES', path: ['security', 'sms', 'denyCountryCodes'], kind: 'list' },
  { name: 'HERON_LOCAL_DOMAIN_PROTECTION', path: ['security', 'localDomains', 'mode'], kind: 'string' },
  { name: 'HERON_GREETING_DELAY', path: ['limits', 'greetingDelay'], kind: 'string' },
  { name: 'HERON_PARSE_WORKERS', path: ['ingest', 'parseWorkers'], kind: 'int' },
  { name: 'HERON_PARSE_QUEUE', path: ['ingest', 'parseQueue'], kind: 'int' },
  { name: 'HERON_PARSE_QUEUE_BYTES', path: ['ingest', 'parseQueueBytes'], kind: 'string' },
  { name: 'HERON_DEFAULT_QUOTA', path: ['limits', 'defaultQuota'], kind: 'string' },
  { name: 'HERON_RSPAMD_URL', path: ['filters', 'rspamdUrl'], kind: 'string' },
  { name: 'HERON_RSPAMD_CONTROLLER_URL', path: ['filters', 'rspamdControllerUrl'], kind: 'string' },
  { name: 'HERON_RSPAMD_PASSWORD', path: ['filters', 'rspamdPassword'], kind: 'string' },
  { name: 'HERON_CLAMD', path: ['filters', 'clamd'], kind: 'string' },
  { name: 'HERON_MAILAUTH', path: ['filters', 'mailauth'], kind: 'bool' },
  { name: 'HERON_DNS_SERVER', path: ['filters', 'dns'], kind: 'string' },
  { name: 'HERON_DMARC_ENFORCE', path: ['filters', 'dmarcEnforce'], kind: 'bool' },
  { name: 'HERON_CLAMD_OVERSIZE', path: ['filters', 'clamdOversize'], kind: 'string' },
  { name: 'HERON_CLAMD_MAX_SCAN_BYTES', path: ['filters', 'clamdMaxScanBytes'], kind: 'string' },
  { name: 'HERON_FILTER_TIMEOUT', path: ['filters', 'timeout'], kind: 'string' },
  { name: 'HERON_FILTER_FAILURE', path: ['filters', 'failure'], kind: 'string' },
  { name: 'HERON_SMS_PROVIDER', path: ['sms', 'provider'], kind: 'string' },
  { name: 'HERON_SMS_WEBHOOK_URL', path: ['sms', 'webhookUrl'], kind: 'string' },
  { name: 'HERON_TWILIO_ACCOUNT_SID', path: ['sms', 'twilio', 'accountSid'], kind: 'string' },
  { name: 'HERON_TWILIO_AUTH_TOKEN', path: ['sms', 'twilio', 'authToken'], kind: 'string' },
  { name: 'HERON_TWILIO_FROM', path: ['sms', 'twilio', 'from'], kind: 'string' },
  { name: 'HERON_TWILIO_BASE_URL', path: ['sms', 'twilio', 'baseUrl'], kind: 'string' },
  { name: 'HERON_JWT_SECRET', path: ['auth', 'jwtSecret'], kind: 'string' },
  { name: 'HERON_SMARTHOST', path: ['outbound', 'smarthost'], kind: 'string' },
  { name: 'HERON_QUEUE_RETRY_SCHEDULE', path: ['outbound', 'retrySchedule'], kind: 'string' },
  { name: 'HERON_QUEUE_EXPIRY', path: ['outbound', 'expiry'], kind: 'string' },
  { name: 'HERON_LOG_LEVEL', path: ['log', 'level'], kind: 'string' },
  { name: 'HERON_LOG_FORMAT', path: ['log', 'format'], kind: 'string' },
  { name: 'HERON_WEB_DIR', path: ['web', 'dir'], kind: 'string' },
];

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Turns the environment into a partial config tree; bad numbers are reported by variable name. */
export function envToConfig(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of ENV_VARS) {
    const raw = env[v.name];
    if (raw === undefined || raw === '') continue;
    let value: unknown = raw;
    if (v.kind === 'port' || v.kind === 'int') {
      if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${v.name}=${JSON.stringify(raw)}: expected a whole number`);
      value = Number(raw);
    } else if (v.kind === 'bool') {
      const t = raw.trim().toLowerCase();
      if (['1', 'true', 'on', 'yes'].includes(t)) value = true;
      else if (['0', 'false', 'off', 'no'].includes(t)) value = false;
      else throw new ConfigError(`${v.name}=${JSON.stringify(raw)}: expected on or off`);
    } else if (v.kind === 'list') {
      value = raw.split(',').map((s) => s.trim()).filter(Boolean);
    }
    let node = out;
    for (const key of v.path.slice(0, -1)) {
      node = (node[key] ??= {}) as Record<string, unknown>;
    }
    node[v.path[v.path.length - 1]!] = value;
  }
  return out;
}
