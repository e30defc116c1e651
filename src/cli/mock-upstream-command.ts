/**
 * `tollgate mock-upstream`: serves the scriptable fake provider for demos, benchmarks and
 * tests until SIGTERM/SIGINT. No keys, no network beyond the chosen loopback port.
 */
import { startMockUpstream } from '../mock-upstream/server.js';
import { parseFlags, portFlag } from './usage-error.js';

export async function runMockUpstream(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { port: { type: 'string', short: 'p' }, host: { type: 'string' } });
  const mock = await startMockUpstream({ port: portFlag(values.port) ?? 9100, host: values.host ?? '127.0.0.1' });
  process.stdout.write(`mock upstream listening on ${mock.url}\n`);
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      mock.close().then(() => resolve(0), () => resolve(1));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
