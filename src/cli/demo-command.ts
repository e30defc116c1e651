/**
 * `tollgate demo`: one command for a newcomer. Starts the fake upstream on a random loopback
 * port, a gateway configured with one provider of each wire format pointed at it, sends a
 * little mixed traffic (chat, stream, embeddings, an error), prints what happened, and keeps
 * running until Ctrl-C so the endpoints can be explored.
 */
import { startGateway } from '../gateway.js';
import { startMockUpstream } from '../mock-upstream/server.js';
import { demoDocument, sendDemoTraffic } from './demo-traffic.js';
import { installSignals } from './start-command.js';
import { parseFlags, portFlag } from './usage-error.js';

export async function runDemo(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { port: { type: 'string', short: 'p' }, requests: { type: 'string' }, exit: { type: 'boolean' } });
  const mock = await startMockUpstream({ port: 0 });
  const gateway = await startGateway({ document: demoDocument(mock.url), port: portFlag(values.port) ?? 8787, env: {} });
  const lines = await sendDemoTraffic(gateway.url, Number(values.requests ?? 20));
  process.stdout.write(`${lines.join('\n')}\n\nGateway: ${gateway.url}  (try: curl ${gateway.url}/v1/models)\nDashboard: ${gateway.url}/dashboard/  (no login from this machine: the demo sets no admin key)\n`);
  if (values.exit) {
    await gateway.close();
    await mock.close();
    return 0;
  }
  process.stdout.write('Press Ctrl-C to stop.\n');
  return new Promise<number>((resolve) => installSignals(gateway, () => { mock.close().finally(() => resolve(0)); }));
}
