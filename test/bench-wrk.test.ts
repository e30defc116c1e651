/**
 * The benchmark's wrk driver (bench/wrk-load.ts): the Lua script it generates, how it reads
 * wrk's summary, and one real one-second run of Debian's wrk (installed by .ci/run) against a
 * local server that records what it was sent.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { luaString, measuredHistogram, parseWrkOutput, runWrkSlice, wrkAvailable, wrkScript } from '../bench/wrk-load.js';

/** wrk's own coordinated-omission correction (its stats_correct), applied to a histogram. */
function wrkCorrect(original: Map<number, number>, e: number): Map<number, number> {
  const data = new Map(original);
  const max = Math.max(...original.keys());
  for (let i = 2 * e; i <= max; i++) {
    const count = data.get(i) ?? 0;
    for (let m = i - e; count > 0 && m > e; m -= e) data.set(m, (data.get(m) ?? 0) + count);
  }
  return data;
}

function pairsOf(h: Map<number, number>): number[] {
  return [...h.entries()].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]).flat();
}

describe('wrk driver', () => {
  test('Lua strings escape quotes, backslashes, control characters and every non-ASCII byte', () => {
    assert.equal(luaString('a"b\\c\n'), '"a\\034b\\092c\\010"');
    assert.equal(luaString('é'), '"\\195\\169"');
    assert.equal(luaString('{"x":1}'), '"{\\034x\\034:1}"');
  });

  test('the script sets method and headers, and makes a fresh id per request only when asked', () => {
    const spec = { url: 'http://127.0.0.1:1/v1', body: '{"id":"[<id>]"}', connections: 1, durationSec: 1, headers: { authorization: 'Bearer k' } };
    const fixed = wrkScript(spec, 'tok-');
    assert.match(fixed, /wrk\.method = "POST"/);
    assert.match(fixed, /wrk\.headers\["authorization"\] = "Bearer k"/);
    assert.match(fixed, /wrk\.headers\["content-type"\] = "application\/json"/);
    assert.match(fixed, /wrk\.body = /);
    assert.doesNotMatch(fixed, /request = function/);
    const fresh = wrkScript({ ...spec, idReplacement: true }, 'tok-');
    assert.match(fresh, /request = function/);
    assert.match(fresh, /"tok-"/);
  });

  test('undoing wrk\'s coordinated-omission correction gives back the measured histogram', () => {
    let seed = 7;
    const random = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let run = 0; run < 200; run++) {
      const connections = 1 + random(64);
      const original = new Map<number, number>();
      const kinds = 1 + random(40);
      for (let k = 0; k < kinds; k++) original.set(1 + random(run % 2 === 0 ? 400 : 20_000), 1 + random(50));
      const requests = [...original.values()].reduce((a, b) => a + b, 0);
      const durationUs = 1 + random(3_000_000);
      const perConnection = Math.floor(requests / connections);
      const corrected = perConnection > 0 ? wrkCorrect(original, Math.floor(durationUs / perConnection)) : original;
      const back = measuredHistogram(pairsOf(corrected), durationUs, requests, connections);
      assert.deepEqual(pairsOf(back), pairsOf(original), `run ${run}`);
    }
    assert.throws(() => measuredHistogram([100, 3], 1_000_000, 5, 1), /3 latencies for 5 requests/);
  });

  test('the summary line becomes one sample per response, in milliseconds, with errors apart', () => {
    const out = 'Running 1s test\n  1 threads\n\n{"durationUs":2000000,"requests":5,"connect":1,"read":2,"write":0,"status":3,"timeout":4,"histogram":[120,2,250,3]}\n';
    const slice = parseWrkOutput(out, 64);
    assert.deepEqual(slice.samplesMs, [0.12, 0.12, 0.25, 0.25, 0.25]);
    assert.equal(slice.elapsedSec, 2);
    assert.equal(slice.non2xx, 3);
    assert.equal(slice.errors, 3);
    assert.equal(slice.timeouts, 4);
    assert.throws(() => parseWrkOutput('wrk: connection refused\n', 1), /no summary/);
  });

  test('a real run: every answer is a sample, bodies carry distinct ids, headers arrive', async () => {
    assert.ok(wrkAvailable(), 'Debian\'s wrk must be installed (.ci/run installs it)');
    const bodies = new Set<string>();
    let answered = 0;
    let authorized = 0;
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => {
        bodies.add(body);
        if (req.headers.authorization === 'Bearer k' && req.headers['content-type'] === 'application/json') authorized++;
        answered++;
        res.writeHead(answered % 10 === 0 ? 500 : 200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const slice = await runWrkSlice({
        url: `http://127.0.0.1:${port}/v1/chat/completions`, body: '{"messages":[{"content":"x [<id>] ü"}]}',
        connections: 4, durationSec: 1, headers: { authorization: 'Bearer k' }, idReplacement: true,
      });
      assert.ok(slice.samplesMs.length > 100, `only ${slice.samplesMs.length} responses in a second`);
      // Answers cut off when wrk stops are neither samples nor counted by the server twice.
      assert.ok(answered >= slice.samplesMs.length && answered - slice.samplesMs.length <= 4, `${answered} answered, ${slice.samplesMs.length} sampled`);
      assert.equal(bodies.size, answered, 'every request body was distinct');
      assert.equal(authorized, answered);
      assert.ok([...bodies].every((b) => b.endsWith(' ü"}]}')), 'non-ASCII text survives');
      assert.ok(Math.abs(slice.non2xx - Math.floor(slice.samplesMs.length / 10)) <= 4, `${slice.non2xx} status errors`);
      assert.equal(slice.errors + slice.timeouts, 0);
      assert.ok(slice.elapsedSec > 0.9 && slice.elapsedSec < 2, `elapsed ${slice.elapsedSec}`);
      assert.ok(slice.samplesMs.every((ms) => ms > 0 && ms < 1000));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
