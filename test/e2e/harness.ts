/**
 * End-to-end harness: a real gateway (in this process, on a random loopback port) in front of
 * the scriptable fake upstream, and the official `openai` SDK as the client. Every provider type
 * is configured against the fake, so the same test can run through each wire format.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { pino } from 'pino';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { startMockUpstream, type MockUpstream } from '../../src/mock-upstream/server.js';

export interface Harness {
  mock: MockUpstream;
  gateway: Gateway;
  client: OpenAI;
  close(): Promise<void>;
}

/** provider name → the model to use for chat through it; every wire format we support. */
export const CHAT_MODELS: Record<string, string> = {
  openai: 'openai/gpt-4o-mini',
  azure: 'azure/gpt-4o',
  compat: 'compat/llama3',
  openrouter: 'openrouter/meta-llama/llama-3.1-8b-instruct',
  anthropic: 'anthropic/claude-sonnet-4-5',
  'workers-ai': 'workers-ai/@cf/meta/llama-3.1-8b-instruct',
  'workers-ai-openai': 'workers-ai-openai/@cf/meta/llama-3.1-8b-instruct',
};

export function providersFor(mockUrl: string): Record<string, unknown> {
  return {
    openai: { type: 'openai', baseUrl: `${mockUrl}/v1`, apiKey: 'sk-test-openai-key' },
    azure: { type: 'azure-openai', baseUrl: mockUrl, apiKey: 'azure-test-key', deployments: { 'gpt-4o': 'prod-4o' } },
    compat: { type: 'openai-compatible', baseUrl: `${mockUrl}/v1` },
    openrouter: { type: 'openrouter', baseUrl: `${mockUrl}/v1`, apiKey: 'or-test-key' },
    anthropic: { type: 'anthropic', baseUrl: mockUrl, apiKey: 'sk-ant-test-key' },
    'workers-ai': { type: 'workers-ai', baseUrl: `${mockUrl}/client/v4`, accountId: 'acct1', apiToken: 'cf-test-token' },
    'workers-ai-openai': { type: 'workers-ai', baseUrl: `${mockUrl}/client/v4`, accountId: 'acct1', apiToken: 'cf-test-token', api: 'openai' },
    // Port 1 is privileged and never listened on in tests: connections are refused at once.
    dead: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1' },
  };
}

export interface HarnessOptions {
  /** Extra or replacement top-level config sections. */
  config?: (mockUrl: string) => Record<string, unknown>;
  configPath?: string;
  logger?: import('pino').Logger;
  requestLog?: (text: string) => void;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const mock = await startMockUpstream({ port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-e2e-'));
  const document = {
    storage: `sqlite://${join(dir, 'tollgate.db')}`,
    logging: { requests: false, spoolDir: join(dir, 'spool'), queue: { flushMs: 20 } },
    providers: providersFor(mock.url),
    routes: { smart: { targets: [{ provider: 'openai', model: 'gpt-4o-mini' }, { provider: 'anthropic', model: 'claude-sonnet-4-5' }] } },
    resilience: { timeouts: { connectMs: 2000, firstByteMs: 3000, idleMs: 1500, totalMs: 6000 } },
    server: { drainMs: 2000 },
  };
  const extra = options.config?.(mock.url) ?? {};
  for (const [k, v] of Object.entries(extra)) {
    const base = (document as Record<string, unknown>)[k];
    // Nested sections merge one level deep so a test can tweak logging without losing the temp paths.
    (document as Record<string, unknown>)[k] = base && typeof base === 'object' && v && typeof v === 'object' && !Array.isArray(v) ? { ...base, ...v } : v;
  }
  // A config the gateway refuses must not leave the fake upstream holding the test process open.
  const gateway = await startGateway({
    document: options.configPath ? undefined : document,
    configPath: options.configPath,
    port: 0,
    host: '127.0.0.1',
    env: {},
    logger: options.logger ?? pino({ level: 'silent' }),
    requestLog: options.requestLog,
  }).catch(async (err: unknown) => {
    await mock.close();
    throw err;
  });
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-side-key', maxRetries: 0, timeout: 10_000 });
  return {
    mock,
    gateway,
    client,
    async close() {
      await gateway.close();
      await mock.close();
    },
  };
}
