import { after } from 'node:test';
import { Redis } from 'ioredis';
import { runBucketedWindowContract, runGuardStoreContract } from './guard-store.contract.js';
import { RedisGuardStore } from './redis-guard-store.js';
import { redisTestPrefix, redisTestUrl } from '../stores/redis/redis-test-url.js';

// Tests may open their own client; production code uses the shared RedisConnection.
const client = new Redis(redisTestUrl(), { maxRetriesPerRequest: 1 });
after(() => client.disconnect());
let n = 0;

runGuardStoreContract('redis', async () => new RedisGuardStore(client, redisTestPrefix(`guards-${n++}`)));
runBucketedWindowContract('redis', async () => new RedisGuardStore(client, redisTestPrefix(`guards-${n++}`), 5));
