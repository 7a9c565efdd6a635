import { after } from 'node:test';
import { storeBackends, stopBackends } from './backends.js';
import { runBlobStoreContract } from './contract/blobs.js';

for (const backend of storeBackends('blobs')) runBlobStoreContract(backend);
after(stopBackends);
