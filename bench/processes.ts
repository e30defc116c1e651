/**
 * Child processes for the benchmark: every server under test (mock upstream, floor, gateway)
 * runs in its own Node process so each has its own event loop and its own measurable memory.
 * This module picks free ports, spawns, waits until a server answers HTTP, reads peak/current
 * RSS from /proc, and stops children (SIGTERM, then SIGKILL after a grace period). A child's
 * stdout can go straight to a file descriptor instead of a pipe, so a chatty server's log lines
 * never pass through (and load) the orchestrator.
 *
 * It does not know what the children are; the orchestrator passes the command lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';

export interface Service {
  name: string;
  url: string;
  pid: number;
  proc: ChildProcess;
  /** The last few KiB the child wrote to stdout/stderr (stderr only when stdout goes to a file). */
  output(): string;
}

export interface StartOptions {
  /** An open file descriptor the child's stdout is written to; piped (and kept) when absent. */
  stdoutFd?: number;
  /** Extra environment variables for the child (added to this process's environment). */
  env?: Record<string, string>;
}

export interface Memory {
  peakRssBytes: number | null;
  rssBytes: number | null;
}

const OUTPUT_KEEP = 4096;
const READY_TIMEOUT_MS = 20_000;
// Readiness probes get their own short-lived connections; keeping them out of the global
// dispatcher means nothing lingers in the pool the sanity checks use.
const probeAgent = new Agent({ pipelining: 0 });

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await request(url, { dispatcher: probeAgent, headersTimeout: 1000, bodyTimeout: 1000 });
    await res.body.dump();
    return true;
  } catch {
    return false;
  }
}

/** Spawns `node <args>` and resolves once `url` gives any HTTP response. */
export async function startService(name: string, args: string[], url: string, cwd: string, options: StartOptions = {}): Promise<Service> {
  const env = options.env ? { ...process.env, ...options.env } : undefined;
  const proc = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', options.stdoutFd ?? 'pipe', 'pipe'] });
  let tail = '';
  const keep = (data: Buffer): void => {
    tail = (tail + data.toString('utf8')).slice(-OUTPUT_KEEP);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  let exited = false;
  proc.once('exit', () => {
    exited = true;
  });
  const service: Service = { name, url, pid: proc.pid ?? -1, proc, output: () => tail };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${name} exited before it was ready (${args.join(' ')}):\n${tail}`);
    if (await answers(url)) return service;
    await sleep(100);
  }
  await stopService(service);
  throw new Error(`${name} did not answer at ${url} within ${READY_TIMEOUT_MS} ms:\n${tail}`);
}

function statusField(status: string, field: string): number | null {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

/** VmHWM is the kernel's high-water mark of resident memory, so no polling is needed. */
export function memoryOf(pid: number): Memory {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { peakRssBytes: statusField(status, 'VmHWM'), rssBytes: statusField(status, 'VmRSS') };
  } catch {
    return { peakRssBytes: null, rssBytes: null };
  }
}

export async function stopService(service: Service, graceMs = 3000): Promise<void> {
  const { proc } = service;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function closeProbes(): Promise<void> {
  await probeAgent.close();
}
