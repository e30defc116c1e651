/**
 * The process's one SQLite writer thread (sqlite-worker.ts), shared by every log store and
 * SQLite cache file the process opens, so writing both costs one worker, not one each (a
 * Node worker holds about 17 MiB resident before it does anything). Users `acquire` it and
 * `release` it; the last release stops it, and the next acquire starts a new one. A thread
 * that died (its worker exited or threw) fails every call, and the next acquire replaces it.
 *
 * The worker keeps the process alive only while a call waits for its answer: an idle writer
 * thread never holds up an exit, and an awaited write always lands first.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerRequest, WorkerResponse } from './sqlite-worker.js';

type Pending = { resolve(v: unknown): void; reject(e: Error): void };

/** A request without its message id (the thread numbers them). */
export type ThreadRequest = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

// The writer's garbage is small and short-lived (one batch at a time), so a small young
// generation is plenty; V8's default would let it grow tens of MiB of resident memory.
const WORKER_YOUNG_GENERATION_MB = 4;

/** The error a call fails with: the worker's message, under the worker's error name. */
function remoteError(e: { name: string; message: string }): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

export class SqliteThread {
  private static current: SqliteThread | undefined;
  private static lastStoreId = 0;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private users = 0;
  private failed: Error | undefined;

  private constructor() {
    this.worker = new Worker(new URL('./sqlite-worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    this.worker.unref();
    this.worker.on('message', (res: WorkerResponse) => this.settle(res));
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', (code) => this.failAll(new Error(`SQLite writer thread exited (${code})`)));
  }

  /** The running thread (started if none is, or if the last one died), counted as one more user. */
  static acquire(): SqliteThread {
    let thread = SqliteThread.current;
    if (!thread || thread.failed) {
      thread = new SqliteThread();
      SqliteThread.current = thread;
    }
    thread.users++;
    return thread;
  }

  /** A fresh id for one store opened on the thread. */
  static storeId(): number {
    return ++SqliteThread.lastStoreId;
  }

  /** False once the worker died: every call fails, and users should acquire a new thread. */
  get alive(): boolean {
    return this.failed === undefined;
  }

  /** One user less; the last one stops the worker. */
  async release(): Promise<void> {
    this.users--;
    if (this.users > 0) return;
    if (SqliteThread.current === this) SqliteThread.current = undefined;
    await this.worker.terminate();
  }

  call(req: ThreadRequest): Promise<unknown> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  private settle(res: WorkerResponse): void {
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    if (this.pending.size === 0) this.worker.unref();
    if (res.ok) p.resolve(res.result);
    else p.reject(remoteError(res.error));
  }

  private failAll(err: Error): void {
    this.failed ??= err;
    for (const p of this.pending.values()) p.reject(this.failed);
    this.pending.clear();
    this.worker.unref();
  }
}
