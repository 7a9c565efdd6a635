export { createSqliteQueueStore } from './sqlite-queue-store.js';
export { createSqliteVacationLog } from './sqlite-vacation-log.js';
