/**
 * The mock upstream: a fake OpenAI / Azure OpenAI / Anthropic / Cloudflare Workers AI server
 * for demos, benchmarks and tests. It answers each provider's wire format with deterministic
 * content and usage (the rule is in mock-content.ts), can be told per request to fail in any
 * of the ways in the test catalogue (directives.ts, response-writer.ts), and logs every
 * attempt (attempt-log.ts). Scripts come from a queue (here or over `/__mock/`), the
 * `x-mock-script` header or a `~` suffix on the model name.
 *
 * Plain node:http, because benchmarks measure the gateway against it: the normal path does no
 * timers and one write. It never calls out to the network and checks no credentials.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AttemptLog, type Attempt } from './attempt-log.js';
import { CONTROL_PREFIX, handleControl } from './control-api.js';
import { ClientGoneError, handleMockRequest, type MockState } from './handle-request.js';
import { ScriptQueue, type ScriptInput } from './script-queue.js';

export type { Attempt, Outcome } from './attempt-log.js';
export type { Directives } from './directives.js';
export type { ScriptInput, ScriptMatch } from './script-queue.js';

export interface MockUpstreamOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Ring buffer size of the attempt log; default 10000. */
  attemptLogSize?: number;
}

export interface MockUpstream {
  /** `http://host:port`, without a trailing slash. */
  url: string;
  port: number;
  attempts(): Attempt[];
  resetAttempts(): void;
  /** Queues a script; throws DirectiveError when it is invalid. */
  script(s: ScriptInput): void;
  clearScripts(): void;
  close(): Promise<void>;
}

function splitTarget(url: string): { pathname: string; query: string } {
  const q = url.indexOf('?');
  return q === -1 ? { pathname: url, query: '' } : { pathname: url.slice(0, q), query: url.slice(q + 1) };
}

function route(state: MockState, req: IncomingMessage, res: ServerResponse): void {
  const target = splitTarget(req.url ?? '/');
  const work = target.pathname.startsWith(CONTROL_PREFIX)
    ? handleControl(state, req, res, target.pathname)
    : handleMockRequest(state, req, res, target);
  work.catch((err: unknown) => {
    if (err instanceof ClientGoneError) return;
    // A bug in the mock: make it visible in the test output instead of a silent hang.
    process.emitWarning(`mock upstream: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    if (!res.headersSent) {
      res.statusCode = 500;
      res.end();
    } else {
      res.destroy();
    }
  });
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startMockUpstream(opts: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const host = opts.host ?? '127.0.0.1';
  const state: MockState = {
    log: new AttemptLog(opts.attemptLogSize ?? 10_000),
    queue: new ScriptQueue(),
    live: new Set(),
    closing: false,
  };
  const server = createServer({ noDelay: true, keepAliveTimeout: 30_000 }, (req, res) => route(state, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl(host)}:${port}`,
    port,
    attempts: () => state.log.list(),
    resetAttempts: () => state.log.reset(),
    script: (s) => state.queue.add(s),
    clearScripts: () => state.queue.clear(),
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        state.closing = true;
        for (const lifetime of state.live) lifetime.end();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
