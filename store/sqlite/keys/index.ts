export { createSqliteDkimKeyStore } from './dkim-keys.js';
export { createSqliteSecretStore } from './secrets.js';
