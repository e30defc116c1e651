/**
 * `tollgate start`: runs the gateway until SIGTERM/SIGINT (graceful drain, exit 0). SIGHUP
 * reloads the config file. With no --config and no ./tollgate.yaml, it runs on defaults built
 * from provider keys in the environment.
 */
import { resolveConfigPath } from './config-path.js';
import { startGateway, type Gateway } from '../gateway.js';
import { parseFlags, portFlag } from './usage-error.js';

export function installSignals(gateway: Gateway, onStopped: () => void): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    gateway.close().then(onStopped, () => onStopped());
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
