/**
 * The benchmark's trace collector stand-in: an HTTP server that reads every OTLP export and
 * answers 200 `{}` without decoding it, so the `gateway-obs` row pays for building, batching
 * and sending spans but not for a real collector. Run as its own process (like the floor proxy)
 * so its work does not land on the load generator.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } } });
let exports = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    exports++;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 }).end('{}');
  });
});
server.listen(Number(values.port ?? 0), values.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`otlp sink listening on http://${values.host}:${port}\n`);
});
process.on('SIGTERM', () => {
  process.stderr.write(`otlp sink: ${exports} exports received\n`);
  server.close(() => process.exit(0));
});
