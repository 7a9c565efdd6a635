import { after } from 'node:test';
import { storeBackends, stopBackends } from './backends.js';
import { runAccountStoreContract } from './contract/accounts.js';

for (const backend of storeBackends('accounts')) runAccountStoreContract(backend);
after(stopBackends);
