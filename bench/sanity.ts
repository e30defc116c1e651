/**
 * One real request per (target, mode) before any load, checked properly: a 200, a JSON body with
 * a choice and usage, or an SSE body with several data events that ends in `data: [DONE]`. Load
 * generators count responses, not correct ones, so a broken target would otherwise produce a
 * fast, meaningless row; here it stops the run with the body it got.
 *
 * It does not measure anything.
 */
import { request } from 'undici';
import type { Scenario } from './scenarios.js';

export class SanityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SanityError';
  }
}

const MIN_SSE_EVENTS = 3;

function checkJson(text: string): string | undefined {
  let parsed: { choices?: unknown[]; usage?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return 'body is not JSON';
  }
  if (!Array.isArray(parsed.choices) || parsed.choices.length === 0) return 'no choices in the reply';
  if (parsed.usage === undefined || parsed.usage === null) return 'no usage in the reply';
  return undefined;
}

function checkSse(text: string): string | undefined {
  const events = text.split(/\r?\n\r?\n/).filter((event) => event.startsWith('data:'));
  if (events.length < MIN_SSE_EVENTS) return `only ${events.length} SSE data events`;
  if (!text.trimEnd().endsWith('data: [DONE]')) return 'stream does not end with data: [DONE]';
  return undefined;
}

export async function checkScenario(baseUrl: string, scenario: Scenario): Promise<void> {
  const label = `${scenario.target} ${scenario.mode}`;
  let status: number;
  let text: string;
  const started = performance.now();
  try {
    const res = await request(baseUrl + scenario.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...scenario.headers },
      body: scenario.body,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    throw new SanityError(`${label}: request failed: ${String(err)}`);
  }
  const tookMs = performance.now() - started;
  let problem = status !== 200 ? `status ${status}` : scenario.expect === 'json' ? checkJson(text) : checkSse(text);
  if (problem === undefined && scenario.minReplyMs !== undefined && tookMs < scenario.minReplyMs) {
    problem = `reply took ${tookMs.toFixed(2)} ms, expected >= ${scenario.minReplyMs} ms (pacing lost on the way?)`;
  }
  if (problem !== undefined) throw new SanityError(`${label}: ${problem}\n${text.slice(0, 800)}`);
}

/** Checks each distinct (target, mode) once; concurrency does not change what a reply is. */
export async function checkAll(urls: ReadonlyMap<string, string>, scenarios: readonly Scenario[]): Promise<void> {
  const seen = new Set<string>();
  for (const scenario of scenarios) {
    const key = `${scenario.target}\0${scenario.mode}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const url = urls.get(scenario.target);
    if (url === undefined) throw new SanityError(`no running service for target ${scenario.target}`);
    await checkScenario(url, scenario);
  }
}
