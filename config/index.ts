export { configSchema, type Config, type ConfigInput } from './schema.js';
export { loadConfig, type LoadOptions } from './load.js';
export { ConfigError, ENV_VARS } from './env.js';
export { parseDuration, parseSize, parseSchedule } from './durations.js';
