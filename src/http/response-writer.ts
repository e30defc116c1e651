/**
 * Writes gateway responses straight to node's ServerResponse: JSON bodies, OpenAI-shaped
 * errors, and the SSE framing used for streams. The pipeline hijacks Fastify's reply, so this
 * is the only place response bytes are produced for /v1 endpoints. It never decides statuses;
 * errors carry theirs from the catalogue.
 */
import type { ServerResponse } from 'node:http';
import { errorBody, errorHeaders, type GatewayError } from '../errors/gateway-error.js';

export type HeaderMap = Record<string, string | number>;

/**
 * Takes ownership of `headers` (every caller builds a fresh map per response): the content
 * headers are added to it rather than to a copy, one object less per answer.
 */
export function writeJson(res: ServerResponse, status: number, headers: HeaderMap, payload: string | Buffer): void {
  if (res.headersSent || res.destroyed) return;
  headers['content-type'] = 'application/json';
  headers['content-length'] = Buffer.byteLength(payload);
  res.writeHead(status, headers);
  res.end(payload);
}

export function writeError(res: ServerResponse, err: GatewayError, requestId: string, extra: HeaderMap = {}): void {
  writeJson(res, err.status, { ...extra, ...errorHeaders(err), 'x-request-id': requestId }, JSON.stringify(errorBody(err, requestId)));
}

/** Frames one SSE `data:` event; multi-line payloads get one `data:` line per line. */
export function sseData(payload: string): string {
  if (payload.indexOf('\n') === -1 && payload.indexOf('\r') === -1) return `data: ${payload}\n\n`;
  return `${payload.split(/\r\n|\r|\n/).map((l) => `data: ${l}`).join('\n')}\n\n`;
}

export function sseError(err: GatewayError, requestId: string): string {
  return `event: error\ndata: ${JSON.stringify(errorBody(err, requestId))}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';

/**
 * Writes an SSE response whose head is sent lazily with the first event, so that a failure
 * before any event can still be answered with a proper HTTP error status.
 */
export class SseWriter {
  private started = false;

  constructor(private readonly res: ServerResponse, private readonly headers: HeaderMap) {}

  get hasStarted(): boolean {
    return this.started;
  }

  /** The head goes out with the first event; `headers` is this writer's own (as in writeJson). */
  private start(): void {
    this.started = true;
    const h = this.headers;
    h['content-type'] = 'text/event-stream; charset=utf-8';
    h['cache-control'] = 'no-cache';
    h['x-accel-buffering'] = 'no';
    this.res.writeHead(200, h);
  }

  /** Returns false when the socket buffer is full and the caller should wait for drain. */
  write(text: string): boolean {
    if (this.res.destroyed) return true;
    if (!this.started) this.start();
    return this.res.write(text);
  }

  /**
   * Writes the last events and ends the response in one socket write (the head too, when
   * nothing was sent yet): a separate write and end cost a system call each, and the end of a
   * stream usually arrives in the same upstream read as its last events.
   */
  end(text?: string): void {
    if (this.res.destroyed || this.res.writableEnded) return;
    if (!text) return void this.res.end();
    if (!this.started) this.start();
    this.res.end(text);
  }

  /** Resolves when the socket can take more data, or when the client is gone. */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }
}
