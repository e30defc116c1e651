/**
 * Test support: a local HTTP receiver standing in for Slack, a webhook endpoint or PagerDuty.
 * It records every request (headers, body) and answers with a scripted status (default 202),
 * or never answers (`hang`) to play a destination that is down. Not used at runtime.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Captured {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export class CaptureServer {
  readonly received: Captured[] = [];
  /** Statuses to answer with, in order; the last one repeats. 'hang' never answers. */
  script: Array<number | 'hang'> = [202];
  private readonly hung = new Set<ServerResponse>();
  private waiters: Array<() => void> = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<CaptureServer> {
    const server = createServer();
    const cap = new CaptureServer(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        cap.received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        for (const w of cap.waiters.splice(0)) w();
        const step = cap.script.length > 1 ? cap.script.shift()! : cap.script[0]!;
        if (step === 'hang') {
          cap.hung.add(res);
          return;
        }
        res.writeHead(step, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return cap;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves once at least `n` requests arrived (rejects after `ms`). */
  async waitFor(n: number, ms = 5_000): Promise<Captured[]> {
    const end = Date.now() + ms;
    while (this.received.length < n) {
      if (Date.now() > end) throw new Error(`expected ${n} deliveries, got ${this.received.length}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
    return this.received;
  }

  json(i: number): Record<string, unknown> {
    return JSON.parse(this.received[i]!.body) as Record<string, unknown>;
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
