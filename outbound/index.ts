export { createOutboundWorker, OUTBOUND_DEFAULTS, type OutboundWorker, type OutboundWorkerOptions } from './worker.js';
export { createBouncer, type Bouncer, type BouncerOptions } from './bouncer.js';
export { buildDsn, type DsnInput, type DsnRecipient } from './dsn.js';
export { resolveRoute, type MxResolver, type RouteHost, type Smarthost } from './route.js';
export { signMessage, type DkimKey, type GetDkimKey } from './dkim-sign.js';
export { listQueue, flushQueue, deleteQueueEntry } from './queue-admin.js';
export { nextAttempt } from './retry.js';
export { DeliveryError } from './delivery-error.js';
