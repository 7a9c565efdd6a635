import { after } from 'node:test';
import { storeBackends, stopBackends } from './backends.js';
import { runQueueContract } from './contract/queue.js';

for (const backend of storeBackends('queue')) runQueueContract(backend);
after(stopBackends);
