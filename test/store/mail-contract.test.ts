import { after } from 'node:test';
import { storeBackends, stopBackends } from './backends.js';
import { runMailStoreContract } from './contract/index.js';

for (const backend of storeBackends('mail')) runMailStoreContract(backend);
after(stopBackends);
