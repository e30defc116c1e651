/**
 * `tollgate start`: runs the gateway until SIGTERM/SIGINT (graceful drain, exit 0). SIGHUP
 * reloads the config file. With no --config and no ./tollgate.yaml, it runs on defaults built
 * from provider keys in the environment.
 */
import { resolveConfigPath } from './config-path.js';
import { startGateway, type Gateway } from '../gateway.js';
import { parseFlags, portFlag } from './usage-error.js';

/**
 * After the drain and the sinks' flush, how long a library's stray handle (a trace exporter
 * retrying against an unreachable collector, say) may keep the process alive. Without this, an
 * OTLP export's own retry timeout decided when a stopped gateway actually exited.
 */
export const EXIT_GRACE_MS = 1_000;

export function installSignals(gateway: Gateway, onStopped: () => void): void {
  let stopping = false;
  const stopped = (): void => {
    onStopped();
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
  };
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    gateway.close().then(stopped, stopped);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.on('SIGHUP', () => gateway.reload());
}

export async function runStart(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    config: { type: 'string', short: 'c' },
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
  });
  const configPath = resolveConfigPath(values.config);
  const gateway = await startGateway({ configPath, port: portFlag(values.port), host: values.host });
  return new Promise<number>((resolve) => installSignals(gateway, () => resolve(0)));
}
