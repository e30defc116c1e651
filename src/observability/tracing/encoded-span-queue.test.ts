import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { EncodedSpanQueue, type EncodedExporter } from './encoded-span-queue.js';

/** An exporter that holds each batch until the test releases it. */
function heldExporter(): EncodedExporter & { batches: Buffer[][]; release(): void; shutdowns: number } {
  const waiting: Array<(r: ExportResult) => void> = [];
  const self = {
    batches: [] as Buffer[][],
    shutdowns: 0,
    export(spans: Buffer[], done: (r: ExportResult) => void) {
      self.batches.push(spans);
      waiting.push(done);
    },
    release() {
      for (const done of waiting.splice(0)) done({ code: ExportResultCode.SUCCESS });
    },
    async shutdown() {
      self.shutdowns++;
    },
  };
  return self;
}

const span = (n: number): Buffer => Buffer.from([n & 0xff]);

describe('encoded span queue', () => {
  test('a full batch goes out at once; a partial one after the delay', async () => {
    const exporter = heldExporter();
    const q = new EncodedSpanQueue(exporter, { delayMs: 30, maxQueue: 100, maxBatch: 4, maxBatchBytes: 1 << 20 });
    for (let i = 0; i < 4; i++) q.push(span(i));
    assert.equal(exporter.batches.length, 1);
    assert.deepEqual(exporter.batches[0], [span(0), span(1), span(2), span(3)]);
    exporter.release();
    await sleep(1);
    q.push(span(4));
    assert.equal(exporter.batches.length, 1, 'one span waits for the delay');
    await sleep(60);
    assert.deepEqual(exporter.batches[1], [span(4)]);
    exporter.release();
    await q.shutdown();
  });

  test('one export at a time: what arrives meanwhile goes next, in order, never lost', async () => {
    const exporter = heldExporter();
    const q = new EncodedSpanQueue(exporter, { delayMs: 5, maxQueue: 100, maxBatch: 2, maxBatchBytes: 1 << 20 });
    for (let i = 0; i < 7; i++) q.push(span(i));
    assert.equal(exporter.batches.length, 1, 'the second batch waits for the first');
    for (let turn = 0; turn < 5 && exporter.batches.flat().length < 7; turn++) {
      exporter.release();
      await sleep(20);
    }
    exporter.release();
    assert.deepEqual(exporter.batches.flat(), [0, 1, 2, 3, 4, 5, 6].map(span));
    assert.ok(exporter.batches.every((b) => b.length <= 2));
    await q.shutdown();
  });

  test('a stalled collector costs at most maxQueue spans; the rest are dropped and counted', async () => {
    const exporter = heldExporter();
    const q = new EncodedSpanQueue(exporter, { delayMs: 1000, maxQueue: 10, maxBatch: 5, maxBatchBytes: 1 << 20 });
    for (let i = 0; i < 40; i++) q.push(span(i));
    // The first five are in flight; ten more wait; the other 25 never entered.
    assert.equal(exporter.batches.length, 1);
    assert.equal(q.dropped, 25);
    exporter.release();
    const flushed = q.forceFlush();
    for (let i = 0; i < 5; i++) {
      await sleep(5);
      exporter.release();
    }
    await flushed;
    assert.equal(exporter.batches.flat().length, 15);
  });

  test('shutdown flushes what waits, shuts the exporter once, then refuses new spans', async () => {
    const exporter = heldExporter();
    const q = new EncodedSpanQueue(exporter, { delayMs: 60_000, maxQueue: 100, maxBatch: 50, maxBatchBytes: 1 << 20 });
    q.push(span(1));
    q.push(span(2));
    const done = q.shutdown();
    await sleep(5);
    exporter.release();
    await done;
    assert.deepEqual(exporter.batches, [[span(1), span(2)]]);
    assert.equal(exporter.shutdowns, 1);
    q.push(span(3));
    assert.equal(q.dropped, 1);
    assert.equal(exporter.batches.length, 1);
  });

  test('a batch is also bounded in bytes; a span larger than the bound goes out alone', async () => {
    const batches: number[][] = [];
    const waiting: Array<() => void> = [];
    const exporter: EncodedExporter = {
      export(spans, done) {
        batches.push(spans.map((b) => b.length));
        waiting.push(() => done({ code: ExportResultCode.SUCCESS }));
      },
      async shutdown() {},
    };
    const q = new EncodedSpanQueue(exporter, { delayMs: 60_000, maxQueue: 100, maxBatch: 50, maxBatchBytes: 25 });
    const bytes = (n: number): Buffer => Buffer.alloc(n, 1);
    q.push(bytes(10));
    q.push(bytes(10));
    assert.equal(batches.length, 0, '20 bytes: under the bound, waiting for the delay');
    q.push(bytes(10));
    assert.deepEqual(batches, [[10, 10]], 'the bound reached: two spans out, the third waits');
    q.push(bytes(40));
    q.push(bytes(5));
    for (let turn = 0; turn < 5 && waiting.length > 0; turn++) {
      waiting.shift()?.();
      await sleep(1);
    }
    await Promise.all([q.forceFlush(), (async () => { for (let i = 0; i < 5; i++) { await sleep(2); waiting.shift()?.(); } })()]);
    assert.deepEqual(batches, [[10, 10], [10], [40], [5]]);
  });

  test('a waiting partial batch never keeps the process alive (its timer is unref\'d)', () => {
    const exporter = heldExporter();
    const q = new EncodedSpanQueue(exporter, { delayMs: 60_000, maxQueue: 100, maxBatch: 50, maxBatchBytes: 1 << 20 });
    q.push(span(1));
    const timer = (q as unknown as { timer: NodeJS.Timeout }).timer;
    assert.equal(timer.hasRef(), false);
    clearTimeout(timer);
  });
});
