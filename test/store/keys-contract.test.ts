import { after } from 'node:test';
import { storeBackends, stopBackends } from './backends.js';
import { runKeyStoreContract } from './contract/keys.js';

for (const backend of storeBackends('keys')) runKeyStoreContract(backend);
after(stopBackends);
