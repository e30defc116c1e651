/**
 * Which config file a command uses: `--config FILE`, else `./tollgate.yaml` when it exists,
 * else none (defaults from the environment). Every command resolves it the same way.
 */
import { existsSync } from 'node:fs';

export function resolveConfigPath(flag: string | undefined): string | undefined {
  return flag ?? (existsSync('tollgate.yaml') ? 'tollgate.yaml' : undefined);
}
