/**
 * One slice of load from Debian's `wrk` (a C load generator in its own process) instead of
 * autocannon inside the orchestrator. On the two-core machine the bench was written for,
 * autocannon spends tens of microseconds of JavaScript per request on the same cores as the
 * mock and the server under test, so the load generator itself was a large share of every
 * row's CPU; wrk spends a few. Rows are then limited by the server being measured, which is
 * what the ratios are meant to compare.
 *
 * The request, and a fresh id in each body when asked, come from a generated Lua script; its
 * `done` hook prints wrk's latency histogram (whole microseconds, with counts) as one JSON
 * line, which becomes the slice's per-response samples. wrk cannot pace requests, so loads at
 * a fixed rate stay with autocannon (load.ts decides). This module does not judge results.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadSlice, LoadSpec } from './load.js';

const WRK = 'wrk';
let available: boolean | undefined;

/** Whether `wrk` is on PATH (asked once per process). */
export function wrkAvailable(): boolean {
  if (available === undefined) {
    const probe = spawnSync(WRK, ['--version'], { stdio: 'ignore' });
    available = probe.error === undefined;
  }
  return available;
}

/** A Lua string literal of `text`: printable ASCII as is, every other byte as a decimal escape. */
export function luaString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c;
    out += printable ? String.fromCharCode(byte) : `\\${String(byte).padStart(3, '0')}`;
  }
  return `${out}"`;
}

let slices = 0;

/**
 * The Lua script of one slice. With `idReplacement`, `[<id>]` in the body becomes a counter
 * prefixed with a token unique to this process and slice, so no body repeats across slices
 * (the cache-miss rows rely on that).
 */
export function wrkScript(spec: LoadSpec, token: string): string {
  const headers = { 'content-type': 'application/json', ...spec.headers };
  const lines = ['wrk.method = "POST"'];
  for (const [name, value] of Object.entries(headers)) lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`);
  const [head, tail] = spec.body.split('[<id>]', 2);
  if (spec.idReplacement === true && tail !== undefined) {
    lines.push(
      `local head, tail, token, n = ${luaString(head)}, ${luaString(tail)}, ${luaString(token)}, 0`,
      'request = function()',
      '  n = n + 1',
      '  return wrk.format(nil, nil, nil, head .. token .. string.format("%x", n) .. tail)',
      'end',
    );
  } else {
    lines.push(`wrk.body = ${luaString(spec.body)}`);
  }
  lines.push(
    'done = function(summary, latency)',
    '  local pairs = {}',
    '  for i = 1, #latency do',
    '    local value, count = latency(i)',
    '    pairs[#pairs + 1] = string.format("%d,%d", value, count)',
    '  end',
    '  local e = summary.errors',
    '  io.write(string.format(\'\\n{"durationUs":%d,"requests":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"histogram":[%s]}\\n\',',
    '    summary.duration, summary.requests, e.connect, e.read, e.write, e.status, e.timeout, table.concat(pairs, ",")))',
    'end',
    '',
  );
  return lines.join('\n');
}

interface WrkSummary {
  durationUs: number;
  requests: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  /** Alternating latency in microseconds and how many responses took it. */
  histogram: number[];
}

/**
 * The latency histogram as measured. Before `done` runs, wrk "corrects" its histogram for
 * coordinated omission: every latency i of at least twice the mean interval between a
 * connection's requests (e = duration / (requests / connections), in whole microseconds) adds
 * its count again at i - e, i - 2e, … while above e. A closed-loop benchmark wants what was
 * measured (as autocannon reports it), and the addition can be undone exactly: it only ever adds
 * to lower latencies, so walking from the highest down, each bin's own count is known before
 * anything it added is subtracted. Throws when the result does not add up to wrk's request count.
 */
export function measuredHistogram(pairs: readonly number[], durationUs: number, requests: number, connections: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i + 1 < pairs.length; i += 2) counts.set(pairs[i], pairs[i + 1]);
  const perConnection = Math.floor(requests / connections);
  if (perConnection > 0) {
    const e = Math.floor(durationUs / perConnection);
    const added = new Map<number, number>();
    for (const value of [...counts.keys()].sort((a, b) => b - a)) {
      const own = (counts.get(value) ?? 0) - (added.get(value) ?? 0);
      counts.set(value, own);
      if (value < 2 * e || own === 0) continue;
      for (let m = value - e; m > e; m -= e) added.set(m, (added.get(m) ?? 0) + own);
    }
  }
  let total = 0;
  for (const [value, count] of counts) {
    if (count < 0) throw new Error(`wrk histogram: negative count at ${value} us after undoing its correction`);
    total += count;
  }
  if (total !== requests) throw new Error(`wrk histogram: ${total} latencies for ${requests} requests`);
  return counts;
}

/** The slice a `done` line describes; throws when wrk printed none. */
export function parseWrkOutput(stdout: string, connections: number): LoadSlice {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith('{"durationUs"'));
  if (line === undefined) throw new Error(`wrk printed no summary:\n${stdout.slice(-2000)}`);
  const s = JSON.parse(line) as WrkSummary;
  const samplesMs: number[] = [];
  for (const [us, count] of measuredHistogram(s.histogram, s.durationUs, s.requests, connections)) {
    for (let k = 0; k < count; k++) samplesMs.push(us / 1000);
  }
  // Like autocannon's response events, wrk's histogram holds every answer, 4xx/5xx included;
  // those are also counted as status errors.
  return {
    samplesMs, non2xx: s.status, errors: s.connect + s.read + s.write, timeouts: s.timeout,
    elapsedSec: s.durationUs / 1e6,
  };
}

/** One wrk run of `spec` (whole seconds, at least one; one thread, which is plenty for 64 connections). */
export function runWrkSlice(spec: LoadSpec): Promise<LoadSlice> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-wrk-'));
  const script = join(dir, 'load.lua');
  writeFileSync(script, wrkScript(spec, `${process.pid}-${++slices}-`));
  const seconds = Math.max(1, Math.round(spec.durationSec));
  const args = ['-t1', `-c${spec.connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, spec.url];
  return new Promise<LoadSlice>((resolve, reject) => {
    const child = spawn(WRK, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`wrk exited with ${code}: ${err.trim()}`));
      else {
        try {
          resolve(parseWrkOutput(out, spec.connections));
        } catch (e) {
          reject(e as Error);
        }
      }
    });
  });
}
