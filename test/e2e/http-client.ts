/**
 * A raw HTTP client for e2e tests that must send what an SDK never would (broken JSON, wrong
 * content types, odd headers) and read SSE bodies byte for byte.
 */
import { request } from 'undici';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): Record<string, unknown>;
}

export async function raw(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const res = await request(url, { method: (init.method ?? 'POST') as 'POST', headers: init.headers, body: init.body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return raw(url, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** The `data:` payloads of an SSE body, and the names of any non-default events. */
export function sseEvents(text: string): { data: string[]; events: string[] } {
  const data: string[] = [];
  const events: string[] = [];
  for (const block of text.split('\n\n')) {
    for (const line of block.split('\n')) {
      if (line.startsWith('data: ')) data.push(line.slice(6));
      else if (line.startsWith('event: ')) events.push(line.slice(7));
    }
  }
  return { data, events };
}
