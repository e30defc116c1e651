/**
 * Incremental parser for server-sent events as providers send them. It accepts bytes in
 * arbitrary pieces (a chunk may split a line, a CRLF pair or a UTF-8 sequence) and yields
 * complete events following the WHATWG event-stream rules: LF, CR and CRLF line endings,
 * `:` comment lines ignored, multi-line `data` joined with `\n`, a blank line dispatches.
 *
 * It does not interpret payloads (adapters do) and does not enforce size limits beyond
 * `maxEventBytes`, which guards memory against an upstream that never sends a blank line.
 */
import { StringDecoder } from 'node:string_decoder';

export interface SseEvent {
  event: string | undefined;
  data: string;
  id: string | undefined;
}

export class SseOverflowError extends Error {
  constructor(limit: number) {
    super(`SSE event larger than ${limit} bytes`);
    this.name = 'SseOverflowError';
  }
}

export class SseParser {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private pendingCR = false;
  private started = false;
  private event: string | undefined;
  private data: string[] = [];
  private id: string | undefined;
  private size = 0;

  constructor(private readonly maxEventBytes = 8 * 1024 * 1024) {}

  /** Feeds bytes; returns the events they completed. */
  push(chunk: Buffer | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (text.length === 0) return [];
    if (!this.started) {
      this.started = true;
      // A byte order mark may open the stream; it is not part of the first field name.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.pendingCR) {
      // A CR ended the previous piece; an LF starting this one belongs to the same line break.
      if (text.startsWith('\n')) text = text.slice(1);
      this.pendingCR = false;
    }
    const buf = this.buffer.length === 0 ? text : this.buffer + text;
    const out: SseEvent[] = [];
    // Providers almost always use bare LF; splitting on it natively is much cheaper than
    // walking every character, which only CR-bearing input needs.
    const start = buf.indexOf('\r') === -1 ? this.splitLf(buf, out) : this.splitAny(buf, out);
    this.buffer = start === 0 ? buf : buf.slice(start);
    if (this.size + this.buffer.length > this.maxEventBytes) throw new SseOverflowError(this.maxEventBytes);
    return out;
  }

  /** Dispatches every LF-terminated line; returns where the unfinished tail starts. */
  private splitLf(buf: string, out: SseEvent[]): number {
    let start = 0;
    let nl = buf.indexOf('\n');
    while (nl !== -1) {
      this.line(buf.slice(start, nl), out);
      start = nl + 1;
      nl = buf.indexOf('\n', start);
    }
    return start;
  }

  /** The general case: LF, CR and CRLF endings, with a CR at the very end left pending. */
  private splitAny(buf: string, out: SseEvent[]): number {
    let start = 0;
    for (let i = 0; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.line(buf.slice(start, i), out);
      if (c === 13) {
        if (i + 1 < buf.length) {
          if (buf.charCodeAt(i + 1) === 10) i++;
        } else {
          this.pendingCR = true;
        }
      }
      start = i + 1;
    }
    return start;
  }

  /**
   * Flushes at end of input. Per the spec an event without its closing blank line is not
   * dispatched; `incomplete` says one was pending, which callers treat as a cut stream.
   */
  end(): { events: SseEvent[]; incomplete: boolean } {
    const out: SseEvent[] = [];
    const tail = this.decoder.end();
    if (tail) this.buffer += tail;
    if (this.buffer.length > 0) {
      this.line(this.buffer, out);
      this.buffer = '';
    }
    const incomplete = this.data.length > 0 || this.event !== undefined;
    return { events: out, incomplete };
  }

  private line(line: string, out: SseEvent[]): void {
    if (line.length === 0) {
      if (this.data.length > 0) {
        out.push({ event: this.event, data: this.data.join('\n'), id: this.id });
      }
      this.event = undefined;
      this.data = [];
      this.size = 0;
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    this.size += line.length;
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
    // `retry` and unknown fields are ignored, as the spec requires.
  }
}
