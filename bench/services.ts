/**
 * Starts the servers the benchmark talks to, each as a separate Node process: the mock upstream
 * (always; it is also the "direct" target), the floor proxy and the gateway (only when a
 * scenario needs them). The gateway gets a minimal generated config pointing at the mock, with
 * logging at warn so per-request log lines do not become part of what is measured.
 *
 * It keeps a list of everything started so the orchestrator can stop them on any exit path.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startService, stopService, type Service } from './processes.js';
import type { TargetId } from './scenarios.js';

const HOST = '127.0.0.1';
const HERE = dirname(fileURLToPath(import.meta.url));
/** Compiled to dist/bench/, so the repository root is two levels up. */
export const REPO_ROOT = resolve(HERE, '..', '..');
const CLI = join(REPO_ROOT, 'bin', 'tollgate');

export interface RunningServices {
  urls: Map<TargetId, string>;
  services: Service[];
}

const started: Service[] = [];
let tempDir: string | undefined;

function gatewayConfig(mockUrl: string): string {
  return [
    'providers:',
    `  openai: { type: openai, baseUrl: "${mockUrl}/v1", apiKey: bench-key }`,
    'logging: { level: warn }',
    '',
  ].join('\n');
}

async function launch(name: string, args: string[], port: number): Promise<Service> {
  const service = await startService(name, args, `http://${HOST}:${port}`, REPO_ROOT);
  started.push(service);
  return service;
}

export async function startServices(targets: ReadonlySet<TargetId>): Promise<RunningServices> {
  const urls = new Map<TargetId, string>();
  const mockPort = await freePort();
  const mock = await launch('mock-upstream', [CLI, 'mock-upstream', '--port', String(mockPort), '--host', HOST], mockPort);
  urls.set('direct', mock.url);
  if (targets.has('floor')) {
    const port = await freePort();
    const floor = await launch('floor', [join(HERE, 'floor-server.js'), '--port', String(port), '--host', HOST, '--upstream', `${mock.url}/v1`], port);
    urls.set('floor', floor.url);
  }
  if (targets.has('gateway')) {
    tempDir = mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
    const configPath = join(tempDir, 'tollgate.yaml');
    writeFileSync(configPath, gatewayConfig(mock.url));
    const port = await freePort();
    const gateway = await launch('gateway', [CLI, 'start', '--config', configPath, '--port', String(port), '--host', HOST], port);
    urls.set('gateway', gateway.url);
  }
  return { urls, services: [...started] };
}

/** Safe to call more than once and from signal handlers. */
export async function stopServices(): Promise<void> {
  const all = started.splice(0).reverse();
  await Promise.all(all.map((service) => stopService(service)));
  if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
}
