import { runGuardStoreContract } from './guard-store.contract.js';
import { MemoryGuardStore } from './memory-guard-store.js';

runGuardStoreContract('memory', async () => new MemoryGuardStore());
