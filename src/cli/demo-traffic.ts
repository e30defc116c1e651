/**
 * The demo's config and traffic: every provider wire format pointed at the fake upstream, and
 * a mix of calls that exercises chat, streaming, embeddings and an error path. Uses undici so
 * the demo needs nothing beyond the gateway's own dependencies.
 */
import { request } from 'undici';

export function demoDocument(mockUrl: string): Record<string, unknown> {
  return {
    providers: {
      openai: { type: 'openai', baseUrl: `${mockUrl}/v1`, apiKey: 'demo-key' },
      anthropic: { type: 'anthropic', baseUrl: mockUrl, apiKey: 'demo-key' },
      'workers-ai': { type: 'workers-ai', baseUrl: `${mockUrl}/client/v4`, accountId: 'demo', apiToken: 'demo-token' },
    },
    routes: { smart: { targets: [{ provider: 'openai', model: 'gpt-4o-mini' }, { provider: 'anthropic', model: 'claude-sonnet-4-5' }] } },
    logging: { level: 'warn' },
  };
}

interface DemoCall {
  path: string;
  body: Record<string, unknown>;
}

const CALLS: DemoCall[] = [
  { path: '/v1/chat/completions', body: { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }] } },
  { path: '/v1/chat/completions', body: { model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi there' }], stream: true } },
  { path: '/v1/chat/completions', body: { model: 'smart', messages: [{ role: 'user', content: 'Route me' }] } },
  { path: '/v1/chat/completions', body: { model: 'workers-ai/@cf/meta/llama-3.1-8b-instruct', messages: [{ role: 'user', content: 'Hey' }] } },
  { path: '/v1/embeddings', body: { model: 'openai/text-embedding-3-small', input: ['alpha', 'beta'] } },
  { path: '/v1/chat/completions', body: { model: 'openai/gpt-4o-mini~status=429~retryAfter=1', messages: [{ role: 'user', content: 'Too fast' }] } },
];

export async function sendDemoTraffic(gatewayUrl: string, count: number): Promise<string[]> {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const call = CALLS[i % CALLS.length];
    const res = await request(`${gatewayUrl}${call.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(call.body),
    });
    await res.body.text();
    const provider = res.headers['x-tollgate-provider'] ?? '-';
    lines.push(`${String(res.statusCode).padEnd(4)} ${String(call.body.model).padEnd(48)} via ${String(provider)}`);
  }
  return lines;
}
