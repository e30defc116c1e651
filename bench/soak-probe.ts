/**
 * Preloaded into the gateway only by the soak run (`node --expose-gc --import soak-probe.js …`),
 * never by `tollgate start` itself, so production code carries no diagnostic hook. On SIGUSR2 it
 * runs a full GC (needs --expose-gc) and appends one JSON line with the post-GC heap and the RSS
 * to the file named by TOLLGATE_SOAK_PROBE_FILE. The soak reads that file; nothing is served
 * over HTTP and nothing else in the gateway changes.
 *
 * It measures the main thread's V8 heap only (worker threads such as the SQLite writer have
 * heaps of their own); RSS covers the whole process.
 */
import { appendFileSync } from 'node:fs';

const file = process.env.TOLLGATE_SOAK_PROBE_FILE;
if (file !== undefined && file !== '') {
  let seq = 0;
  process.on('SIGUSR2', () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const m = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ seq: ++seq, at: Date.now(), gc: gc !== undefined, heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
  });
}
