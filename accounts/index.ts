export { createAccountDeletion, type AccountDeletionOptions } from './delete-account.js';
export { withRoleAddresses, ROLE_LOCAL_PARTS } from './role-addresses.js';
