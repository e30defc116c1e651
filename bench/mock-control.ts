/**
 * Scripts the mock upstream over its HTTP control API (docs/mock-upstream.md) for rows that need
 * upstream failures, e.g. the fallback row's 1-in-10 503s. The mock runs in another process, so
 * its in-process `script()` helper is out of reach.
 */
import { request } from 'undici';
import type { MockScript } from './scenarios.js';

export async function queueMockScripts(mockUrl: string, scripts: readonly MockScript[]): Promise<void> {
  if (scripts.length === 0) return;
  const res = await request(`${mockUrl}/__mock/scripts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(scripts) });
  const text = await res.body.text();
  if (res.statusCode !== 201) throw new Error(`mock refused the scripts: ${res.statusCode} ${text}`);
}

export async function clearMockScripts(mockUrl: string): Promise<void> {
  const res = await request(`${mockUrl}/__mock/scripts`, { method: 'DELETE' });
  await res.body.text();
}
