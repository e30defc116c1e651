/**
 * EventSpool: where usage events go when the log store is down or too slow, so that an outage
 * costs disk space instead of log rows. Events are appended as JSON lines to `events.jsonl` in
 * the spool directory (one durable write per call; see spool-file.ts for the fsync policy) and
 * `replay` later feeds them to a store in batches. Stores deduplicate by request id, so replaying
 * a file twice, or after a crash halfway through, never duplicates rows.
 *
 * Replay first renames the active file to `events.replaying.jsonl` and reads that, while new
 * writes start a fresh active file; the renamed file is deleted only after every batch was
 * stored. A replay that fails leaves it in place, and the next replay (in this process or after a
 * restart) starts with it. Lines that do not parse (a line torn by a crash) are skipped and
 * counted. The spool never grows past `maxBytes` (both files together): events beyond it are
 * dropped and counted, never silently. JSON escapes NUL and lone surrogates, so an event
 * replays exactly as it was written. Events with collect: false are never written.
 */
import { mkdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { UsageEvent } from '../../metering/usage-event.js';
import type { EventStore } from '../events/event-store.js';
import { appendDurably, fileSize, readLines, repairTornTail } from './spool-file.js';

export interface SpoolOptions {
  /** Most bytes the spool holds on disk; default 100 MiB. */
  maxBytes?: number;
  /** Events per store.append during replay; default 500. */
  replayBatchSize?: number;
}

export interface SpoolStats {
  /** Bytes on disk waiting for replay. */
  bytes: number;
  /** Events refused because the spool was full, since open. */
  dropped: number;
  /** Unreadable lines skipped by replays, since open. */
  corrupt: number;
}

export interface ReplayResult {
  /** Events read back from the spool. */
  read: number;
  /** Of those, rows the store did not have yet. */
  inserted: number;
  corrupt: number;
}

export interface EventSpool {
  /** Appends the batch durably; returns how many were kept (the rest were dropped: spool full). */
  write(events: readonly UsageEvent[]): Promise<number>;
  /** Moves everything spooled so far into `store`; one replay at a time (concurrent calls share it). */
  replay(store: Pick<EventStore, 'append'>): Promise<ReplayResult>;
  stats(): SpoolStats;
  close(): Promise<void>;
}

const ACTIVE_FILE = 'events.jsonl';
const REPLAYING_FILE = 'events.replaying.jsonl';
const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;
const DEFAULT_REPLAY_BATCH = 500;

/** A spooled line back to an event, or null when it is not one (torn or foreign line). */
function parseLine(line: string): UsageEvent | null {
  try {
    const value: unknown = JSON.parse(line);
    if (value === null || typeof value !== 'object') return null;
    const candidate = value as Partial<UsageEvent>;
    if (typeof candidate.requestId !== 'string' || typeof candidate.time !== 'number') return null;
    // Other fields are normalized by the store, which accepts any value for them.
    return value as UsageEvent;
  } catch {
    return null;
  }
}

class FileEventSpool implements EventSpool {
  private readonly active: string;
  private readonly replaying: string;
  private bytes = 0;
  private dropped = 0;
  private corrupt = 0;
  private closed = false;
  /** Set when an append failed midway: the file may end in a torn line and its size is unknown. */
  private unsure = false;
  private lock: Promise<unknown> = Promise.resolve();
  private currentReplay: Promise<ReplayResult> | null = null;

  constructor(dir: string, private readonly maxBytes: number, private readonly batchSize: number) {
    this.active = join(dir, ACTIVE_FILE);
    this.replaying = join(dir, REPLAYING_FILE);
  }

  /** Runs file-changing steps one at a time, so appends never interleave with a rotation. */
  private exclusive<T>(step: () => Promise<T>): Promise<T> {
    const run = this.lock.then(step, step);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Trusts the disk again: repairs a torn last line and re-reads sizes (at open, after a failed append). */
  async resync(): Promise<void> {
    await repairTornTail(this.active);
    this.bytes = (await fileSize(this.active)) + (await fileSize(this.replaying));
    this.unsure = false;
  }

  write(events: readonly UsageEvent[]): Promise<number> {
    return this.exclusive(async () => {
      if (this.closed) throw new Error('event spool is closed');
      if (this.unsure) await this.resync();
      const lines: string[] = [];
      let size = this.bytes;
      for (const event of events) {
        if (event.collect === false) continue;
        const line = `${JSON.stringify(event)}\n`;
        const lineBytes = Buffer.byteLength(line);
        if (size + lineBytes > this.maxBytes) {
          this.dropped++;
          continue;
        }
        lines.push(line);
        size += lineBytes;
      }
      if (lines.length === 0) return 0;
      try {
        await appendDurably(this.active, lines.join(''));
      } catch (err) {
        this.unsure = true;
        throw err;
      }
      this.bytes = size;
      return lines.length;
    });
  }

  /** Only `append` is used: the spool's rows go back through the store's idempotent insert. */
  replay(store: Pick<EventStore, 'append'>): Promise<ReplayResult> {
    this.currentReplay ??= this.replayAll(store).finally(() => {
      this.currentReplay = null;
    });
    return this.currentReplay;
  }

  private async replayAll(store: Pick<EventStore, 'append'>): Promise<ReplayResult> {
    const result: ReplayResult = { read: 0, inserted: 0, corrupt: 0 };
    // Pass one finishes a replay file left by an earlier failure or crash (if any); pass two
    // takes what was written since. Bounded, so a caller that keeps spooling cannot pin it here.
    for (let pass = 0; pass < 2; pass++) {
      const claimed = await this.exclusive(() => this.claimReplayFile());
      if (!claimed) break;
      const corrupt = await this.replayFile(store, result);
      await this.exclusive(async () => {
        await unlink(this.replaying);
        this.bytes = (await fileSize(this.active)) + (await fileSize(this.replaying));
        this.corrupt += corrupt;
      });
      result.corrupt += corrupt;
    }
    return result;
  }

  /** Makes sure a replay file exists if anything is spooled; false when there is nothing. */
  private async claimReplayFile(): Promise<boolean> {
    if ((await fileSize(this.replaying)) > 0) return true;
    if ((await fileSize(this.active)) === 0) return false;
    if (this.unsure) await this.resync();
    await rename(this.active, this.replaying);
    return true;
  }

  /** Feeds the replay file to the store batch by batch; returns the unreadable lines seen. */
  private async replayFile(store: Pick<EventStore, 'append'>, result: ReplayResult): Promise<number> {
    let corrupt = 0;
    let batch: UsageEvent[] = [];
    const flush = async (): Promise<void> => {
      result.inserted += await store.append(batch);
      result.read += batch.length;
      batch = [];
    };
    for await (const line of readLines(this.replaying)) {
      if (line.trim() === '') continue;
      const event = parseLine(line);
      if (event === null) corrupt++;
      else batch.push(event);
      if (batch.length >= this.batchSize) await flush();
    }
    if (batch.length > 0) await flush();
    return corrupt;
  }

  stats(): SpoolStats {
    return { bytes: this.bytes, dropped: this.dropped, corrupt: this.corrupt };
  }

  close(): Promise<void> {
    return this.exclusive(async () => {
      this.closed = true;
    });
  }
}

/**
 * Opens the spool in `dir` (created if missing), picking up whatever an earlier process left
 * there, including a replay it did not finish and a last line torn by a crash.
 */
export async function openEventSpool(dir: string, options: SpoolOptions = {}): Promise<EventSpool> {
  await mkdir(dir, { recursive: true });
  const spool = new FileEventSpool(dir, options.maxBytes ?? DEFAULT_MAX_BYTES,
    Math.max(1, options.replayBatchSize ?? DEFAULT_REPLAY_BATCH));
  await spool.resync();
  return spool;
}
