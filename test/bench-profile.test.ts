/**
 * `bench:compare --profile` (bench/cpu-profile.ts, flame-graph.ts, profile-report.ts): the
 * call tree's self and total times, categories and per-function totals on a hand-made profile,
 * the flame graph's frames, and one real `node --cpu-prof` run turned into its two files.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { categoryOf, renderSummary, summarize, timedTree, type CpuProfile } from '../bench/cpu-profile.js';
import { flameGraphSvg } from '../bench/flame-graph.js';
import { mainThreadProfile, writeProfileReport } from '../bench/profile-report.js';
import { parseCompareOptions } from '../bench/compare-options.js';

const OURS = 'file:///repo/dist/src/pipeline/stages/respond.js';
const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

/**
 * root → (idle) 50; root → run (ours) 10 self → parse <x&y> (node) 20 self; run → run (recursion) 5
 * self → undici call 15 self; root → (garbage collector) 5.
 */
function sample(): CpuProfile {
  const nodes = [
    { id: 1, callFrame: frame('(root)'), children: [2, 3, 7] },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('run', OURS, 9), children: [4, 5] },
    { id: 4, callFrame: frame('parse <x&y>', 'node:internal/json', 1) },
    { id: 5, callFrame: frame('run', OURS, 9), children: [6] },
    { id: 6, callFrame: frame('call', 'file:///repo/node_modules/undici/lib/core/request.js', 40) },
    { id: 7, callFrame: frame('(garbage collector)') },
  ];
  const plan: Array<[number, number]> = [[2, 50], [3, 10], [4, 20], [5, 5], [6, 15], [7, 5]];
  return { nodes, samples: plan.map(([id]) => id), timeDeltas: plan.map(([, us]) => us), startTime: 0, endTime: 105 };
}

describe('bench CPU profiles', () => {
  test('the tree carries self and total time; a recursive function is counted once per stack', () => {
    const tree = timedTree(sample());
    assert.equal(tree.totalUs, 105);
    const run = tree.children.find((c) => c.node.callFrame.functionName === 'run')!;
    assert.deepEqual([run.selfUs, run.totalUs], [10, 50]);
    const s = summarize(tree);
    assert.equal(s.sampledUs, 105);
    assert.deepEqual(s.byCategory, { tollgate: 15, undici: 15, dependencies: 0, node: 20, 'garbage collector': 5, native: 0, idle: 50 });
    const fn = s.functions.find((f) => f.label === 'run stages/respond.js:10')!;
    assert.deepEqual([fn.selfUs, fn.totalUs], [15, 50]);
    assert.equal(categoryOf(frame('x', 'file:///repo/node_modules/fastify/fastify.js')), 'dependencies');
    assert.equal(categoryOf(frame('writev')), 'native');
  });

  test('the summary gives microseconds per request over busy time, idle left out', () => {
    const text = renderSummary(summarize(timedTree(sample())), 'sample', 5);
    assert.match(text, /busy 0\.00 s, 5 requests answered/);
    assert.match(text, /^ {6}3\.00 us\/req {2}27\.3% {2}tollgate$/m); // 15 us over 5 requests; 15 of 55 busy
    assert.match(text, /top 40 functions by total time:\n {5}10\.00 us\/req {2}90\.9% {2}run stages\/respond\.js:10/);
    assert.doesNotMatch(text, /\(idle\)/);
  });

  test('the flame graph has one titled frame per visible call, escaped, idle left out', () => {
    const svg = flameGraphSvg(timedTree(sample()), 'title & more', 5);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /title &#38; more/);
    assert.equal((svg.match(/<g><title>/g) ?? []).length, 5); // run, parse, run, call, GC
    assert.match(svg, /parse &#60;x&#38;y&#62; node:internal\/json:2 \[node\]: 36\.36% of busy time, 4\.00 us\/req total/);
    assert.doesNotMatch(svg, /\(idle\)/);
  });

  test('a real node --cpu-prof run: the main thread\'s profile becomes a flame graph and a summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-profile-'));
    mkdirSync(join(dir, 'spin'));
    execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'spin')}`, '-e', 'const end = Date.now() + 150; let n = 0; while (Date.now() < end) n++;']);
    // A stray file of another thread (id 1) must not be taken for the main thread's.
    writeFileSync(join(dir, 'spin', 'CPU.20260101.000000.1.1.001.cpuprofile'), '{}');
    assert.match(mainThreadProfile(join(dir, 'spin')) ?? '', /\.0\.\d+\.cpuprofile$/);
    assert.match(writeProfileReport(dir, 'spin', 10), /spin\.svg, .*spin\.txt$/);
    assert.match(readFileSync(join(dir, 'spin.txt'), 'utf8'), /spin: main thread, 10 requests answered/);
    assert.match(readFileSync(join(dir, 'spin.svg'), 'utf8'), /<rect x=/);
    assert.match(writeProfileReport(dir, 'missing', 1), /no main-thread profile/);
  });

  test('--profile runs every variant under --cpu-prof into its own directory', () => {
    const o = parseCompareOptions(['--profile', '/tmp/p', 'a=gateway', 'b=floor:--max-semi-space-size=8']);
    assert.equal(o.profileDir, '/tmp/p');
    assert.deepEqual(o.variants[0].nodeFlags, ['--cpu-prof', '--cpu-prof-dir=/tmp/p/a']);
    assert.deepEqual(o.variants[1].nodeFlags, ['--max-semi-space-size=8', '--cpu-prof', '--cpu-prof-dir=/tmp/p/b']);
    assert.equal(parseCompareOptions(['a=gateway', 'b=floor']).profileDir, undefined);
  });
});
