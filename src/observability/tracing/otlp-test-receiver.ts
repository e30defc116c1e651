/**
 * Test support: an OTLP/HTTP trace receiver on loopback (plain node:http) that accepts the
 * exporter's JSON and binary protobuf encodings and keeps the spans, flattened, for assertions. It can be told to
 * fail exports (HTTP 400, which the exporter does not retry) to test the exporter's health. Not used at runtime.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeTraceExport } from './otlp-protobuf-decode.js';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  status: { code?: number; message?: string };
  resource: Record<string, unknown>;
}

interface OtlpValue { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean }
type OtlpAttributes = Array<{ key: string; value: OtlpValue }> | undefined;

function attrs(list: OtlpAttributes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) {
    out[key] = value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : value.doubleValue ?? value.boolValue);
  }
  return out;
}

export class OtlpTestReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly headers: Array<Record<string, string | string[] | undefined>> = [];
  failing = false;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<OtlpTestReceiver> {
    const server = createServer();
    const receiver = new OtlpTestReceiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        receiver.headers.push(req.headers);
        if (receiver.failing) {
          res.writeHead(400).end(); // not retryable: the exporter reports the failure at once
          return;
        }
        const raw = Buffer.concat(chunks);
        const binary = String(req.headers['content-type'] ?? '').includes('protobuf');
        receiver.take(binary ? decodeTraceExport(raw) : JSON.parse(raw.toString('utf8')) as Record<string, unknown>);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/traces`;
  }

  private take(body: Record<string, unknown>): void {
    for (const rs of (body.resourceSpans as Array<Record<string, unknown>>) ?? []) {
      const resource = attrs((rs.resource as { attributes?: OtlpAttributes } | undefined)?.attributes);
      for (const ss of (rs.scopeSpans as Array<{ spans?: Array<Record<string, unknown>> }>) ?? []) {
        for (const s of ss.spans ?? []) {
          this.spans.push({
            traceId: String(s.traceId), spanId: String(s.spanId), parentSpanId: String(s.parentSpanId ?? ''),
            name: String(s.name), kind: Number(s.kind), attributes: attrs(s.attributes as OtlpAttributes),
            events: ((s.events as Array<{ name: string; attributes?: OtlpAttributes }>) ?? []).map((e) => ({ name: e.name, attributes: attrs(e.attributes) })),
            status: (s.status as ReceivedSpan['status']) ?? {}, resource,
          });
        }
      }
    }
  }

  /** Waits until `predicate` holds for the spans received (bounded). */
  async waitFor(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs = 8_000): Promise<ReceivedSpan[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.spans)) {
      if (Date.now() > deadline) throw new Error(`OTLP receiver: condition not met; ${this.spans.length} spans: ${this.spans.map((s) => s.name).join(', ')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.spans;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
