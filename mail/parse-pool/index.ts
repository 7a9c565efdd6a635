export { ParsePool, PoolSaturatedError, PARSE_POOL_DEFAULTS, type ParsePoolOptions } from './parse-pool.js';
export { pooledPrepare } from './pooled-prepare.js';
