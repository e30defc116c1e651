/**
 * The stdout sink: one line per request. `json` (default) writes the UsageEvent's fields as a
 * pino JSON line; `pretty` writes the familiar one-line shape operators grep for, e.g.
 * `[AI Gateway] [resume_parsing] [gpt-4o] [RequestID: …] [User: user_123***789] [Cache: HIT]
 * [87ms] [3542 tokens] [$0.0354]`, and for failures `[Error: UPSTREAM_RATE_LIMITED] [message]
 * [responseTimeMs: 1523]`. Events are already masked; requests that opted out of logging are
 * skipped. Error messages come from the catalogue, never from provider text.
 */
import { ERROR_CATALOGUE, type ErrorCode } from '../errors/catalogue.js';
import type { EventSink } from './event-queue.js';
import { isoTime } from '../logging/iso-time.js';
import { jsonNumber, jsonNumberOrNull, jsonString, jsonStringOrNull } from '../logging/json-text.js';
import type { UsageEvent } from './usage-event.js';

export function formatUsd(micros: number | null): string {
  if (micros === null) return '$?';
  return `$${(micros / 1_000_000).toFixed(4)}`;
}

/** C0/C1 controls and the Unicode line separators; any of them could start a forged log line. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Client text (a model name from the body, a request id) printed with its control characters
 * escaped as `\uXXXX`, so one request is always one line (B11). JSON lines need nothing: the
 * serializer escapes them already.
 */
export function printable(text: string): string {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function prettyLine(e: UsageEvent): string {
  const head = `[AI Gateway] [${printable(e.operation ?? e.endpoint)}] [${printable(e.model ?? '-')}] [RequestID: ${printable(e.requestId)}]`;
  const user = e.user ? ` [User: ${printable(e.user)}]` : '';
  if (e.errorCode && e.status >= 400) {
    const spec = ERROR_CATALOGUE[e.errorCode as ErrorCode];
    const message = spec ? spec.message : e.errorCode;
    return `${head}${user} [Error: ${e.errorCode.toUpperCase()}] [${message}] [responseTimeMs: ${Math.round(e.latencyMs)}]`;
  }
  const cache = e.cacheStatus ? ` [Cache: ${e.cacheStatus}]` : '';
  const tokens = e.tokensIn + e.tokensOut;
  const flags = `${e.partial ? ' [partial]' : ''}${e.estimated ? ' [estimated]' : ''}`;
  return `${head}${user}${cache} [${Math.round(e.latencyMs)}ms] [${tokens} tokens] [${formatUsd(e.costMicros)}]${flags}`;
}

/** An object field (metadata, payload): rare and of open shape, so the serializer writes it. */
function jsonObject(v: object | null): string {
  return v === null ? 'null' : JSON.stringify(v);
}

/**
 * One JSON line per request: pino-compatible level/time/msg (an ISO time, as the process logger
 * writes), then the event's other fields in the event's own order, without its epoch-ms `time`
 * (a second `time` key made parsers keep the number and drop the ISO time). Written field by
 * field (json-text.ts): `JSON.stringify` of the event was about 4 µs of the request path's CPU.
 * The test compares the line with the serializer's for events of every shape, so a field
 * added to UsageEvent and not here fails it.
 */
export function jsonLine(e: UsageEvent): string {
  return `{"level":30,"time":"${isoTime(e.time)}","msg":"request","requestId":${jsonString(e.requestId)},`
    + `"tenant":${jsonStringOrNull(e.tenant)},"keyId":${jsonStringOrNull(e.keyId)},"user":${jsonStringOrNull(e.user)},`
    + `"operation":${jsonStringOrNull(e.operation)},"metadata":${jsonObject(e.metadata)},"endpoint":${jsonString(e.endpoint)},`
    + `"provider":${jsonStringOrNull(e.provider)},"model":${jsonStringOrNull(e.model)},"routeAlias":${jsonStringOrNull(e.routeAlias)},`
    + `"status":${jsonNumber(e.status)},"errorCode":${jsonStringOrNull(e.errorCode)},"cacheStatus":${jsonStringOrNull(e.cacheStatus)},`
    + `"attempts":${jsonNumber(e.attempts)},"fallbackIndex":${jsonNumber(e.fallbackIndex)},"latencyMs":${jsonNumber(e.latencyMs)},`
    + `"ttftMs":${jsonNumberOrNull(e.ttftMs)},"tokensIn":${jsonNumber(e.tokensIn)},"tokensOut":${jsonNumber(e.tokensOut)},`
    + `"tokensCached":${jsonNumber(e.tokensCached)},"tokensCacheWrite":${jsonNumber(e.tokensCacheWrite)},`
    + `"neurons":${jsonNumberOrNull(e.neurons)},"costMicros":${jsonNumberOrNull(e.costMicros)},"savedMicros":${jsonNumber(e.savedMicros)},`
    + `"stream":${e.stream},"partial":${e.partial},"estimated":${e.estimated},"collect":${e.collect},"payload":${jsonObject(e.payload)}}\n`;
}

/** Bytes per chunk handed to stdout: small enough for malloc to reuse (no fresh pages per batch). */
const CHUNK_BYTES = 64 * 1024;

/**
 * Writes a batch as UTF-8 chunks of whole lines: a per-request logger call (with its redaction
 * pass and its own serialization) cost more CPU than the rest of metering, while events are
 * already built from an allowlist and masked, so there is nothing left for a logger to redact.
 * Each line is encoded into the chunk as soon as it is made: joined into one string first, a
 * batch became a rope of thousands of pieces that V8 flattened, measured and encoded again on
 * its way to the file descriptor, which cost twice what making the lines did.
 */
export class ConsoleSink implements EventSink {
  readonly name = 'console';

  constructor(private readonly format: 'json' | 'pretty', private readonly out: (chunk: Buffer) => void) {}

  async write(batch: readonly UsageEvent[]): Promise<void> {
    let chunk: Buffer | undefined;
    let at = 0;
    for (const e of batch) {
      if (!e.collect) continue;
      const line = this.format === 'pretty' ? `${prettyLine(e)}\n` : jsonLine(e);
      // A UTF-16 unit takes at most 3 bytes of UTF-8.
      if (chunk === undefined || at + line.length * 3 > chunk.length) {
        if (chunk !== undefined && at > 0) this.out(chunk.subarray(0, at));
        chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, line.length * 3));
        at = 0;
      }
      at += chunk.write(line, at, 'utf8');
    }
    if (chunk !== undefined && at > 0) this.out(chunk.subarray(0, at));
  }
}
