import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { configSchema, type Config } from './schema.js';
import { ConfigError, envToConfig, ENV_VARS } from './env.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

/** Where the value at a path came from, so an error names the variable a user actually set. */
function sourceOf(path: ReadonlyArray<PropertyKey>, env: NodeJS.ProcessEnv, file: string | null): string {
  const dotted = path.map(String).join('.');
  const v = ENV_VARS.find((e) => e.path.join('.') === dotted && env[e.name] !== undefined && env[e.name] !== '');
  if (v) return v.name;
  return file ? `${file}: ${dotted}` : dotted;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Path of a JSON config file; defaults to HERON_CONFIG, else ./heron.json if present. */
  file?: string | null;
}

/** Defaults < config file < HERON_* environment. Throws ConfigError naming every bad value. */
export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  let file = opts.file === undefined ? env.HERON_CONFIG ?? null : opts.file;
  if (file === null && existsSync('heron.json')) file = 'heron.json';
  let fromFile: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`);
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (!isObject(parsed)) throw new Error('top level must be an object');
      fromFile = parsed;
    } catch (e) {
      throw new ConfigError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
    }
  }
  const merged = merge(fromFile, envToConfig(env));
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${sourceOf(i.path, env, file)}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = result.data;
  config.dataDir = resolve(config.dataDir);
  if ((config.tls.cert === undefined) !== (config.tls.key === undefined)) {
    throw new ConfigError('HERON_TLS_CERT and HERON_TLS_KEY must be set together');
  }
  if (config.store.kind === 'mongodb' && !config.store.mongodbUri) {
    throw new ConfigError('HERON_STORE=mongodb needs HERON_MONGODB_URI');
  }
  if (config.sms.provider === 'webhook' && !config.sms.webhookUrl) {
    throw new ConfigError('HERON_SMS_PROVIDER=webhook needs HERON_SMS_WEBHOOK_URL');
  }
  return config;
}
