/**
 * The benchmark's "floor": the least work any OpenAI pass-through proxy must do, written with
 * the same building blocks as the gateway (node:http in, one undici keep-alive pool out). It
 * reads and parses the body, rewrites `openai/<model>` to `<model>`, asks for the usage chunk on
 * streams, forwards, and reads usage back (parsing the JSON reply, or scanning SSE events as they
 * pass through unbuffered). The gateway's throughput is reported as a fraction of this one's.
 *
 * Deliberately does not validate, authenticate, log, retry or map errors: anything beyond the
 * minimum is overhead the gateway has to justify. Run as its own process:
 * `node dist/bench/floor-server.js --port P --upstream http://127.0.0.1:M/v1`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' }, upstream: { type: 'string' } } });
if (values.upstream === undefined || values.port === undefined) throw new Error('usage: floor-server --port P --upstream URL');
const upstream = new URL(values.upstream);
const basePath = upstream.pathname.replace(/\/$/, '');
// Same pool shape as the gateway's upstream Agent so the comparison is about the work per
// request, not about connection handling.
const pool = new Pool(upstream.origin, { connections: 1024, pipelining: 1, keepAliveTimeout: 30_000 });
let usageSeen = 0;

// Plain events rather than `for await`: the async iterator costs measurably per request, and
// the floor should be the cheapest honest version.
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.once('end', () => resolve(parts.length === 1 ? parts[0] : Buffer.concat(parts)));
    req.once('error', reject);
  });
}

/** Pulls usage out of every complete SSE event that mentions it; returns the unfinished tail. */
function scanEvents(pending: string): string {
  let end = pending.indexOf('\n\n');
  while (end !== -1) {
    const event = pending.slice(0, end);
    if (event.includes('"usage":{')) {
      const parsed = JSON.parse(event.slice(event.indexOf('{'))) as { usage?: unknown };
      if (parsed.usage) usageSeen++;
    }
    pending = pending.slice(end + 2);
    end = pending.indexOf('\n\n');
  }
  return pending;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = JSON.parse((await readBody(req)).toString('utf8')) as { model: string; stream?: boolean; stream_options?: object };
  body.model = body.model.replace(/^openai\//, '');
  if (body.stream === true) body.stream_options = { ...body.stream_options, include_usage: true };
  const up = await pool.request({
    method: 'POST',
    path: basePath + (req.url ?? '').replace(/^\/v1/, ''),
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key' },
    body: JSON.stringify(body),
  });
  res.writeHead(up.statusCode, { 'content-type': String(up.headers['content-type'] ?? 'application/json') });
  if (body.stream !== true) {
    const bytes = Buffer.from(await up.body.arrayBuffer());
    const parsed = JSON.parse(bytes.toString('utf8')) as { usage?: unknown };
    if (parsed.usage) usageSeen++;
    res.end(bytes);
    return;
  }
  // The decoder keeps a multi-byte character split across chunks intact for the scan.
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of up.body) {
    res.write(chunk as Buffer);
    pending = scanEvents(pending + decoder.write(chunk as Buffer));
  }
  res.end();
}

const server = createServer((req, res) => {
  handle(req, res).catch((err: unknown) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: String(err) } }));
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(values.port), values.host ?? '127.0.0.1', () => {
  process.stdout.write(`floor listening on http://${values.host ?? '127.0.0.1'}:${values.port}\n`);
});
process.once('SIGTERM', () => {
  // The counter only exists so the usage parsing cannot be optimised away; print it for the curious.
  process.stdout.write(`floor saw usage on ${usageSeen} responses\n`);
  server.close();
  server.closeAllConnections();
  void pool.close();
});
