import { after } from 'node:test';
import { storeBackends, stopBackends } from './backends.js';
import { runVacationLogContract } from './contract/vacation.js';

for (const backend of storeBackends('vacation')) runVacationLogContract(backend);
after(stopBackends);
