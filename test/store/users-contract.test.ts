import { after } from 'node:test';
import { storeBackends, stopBackends } from './backends.js';
import { runUserStoreContract } from './contract/index.js';

for (const backend of storeBackends('users')) runUserStoreContract(backend);
after(stopBackends);
