/**
 * The `tollgate` command line. Parses arguments (node:util parseArgs), dispatches to one
 * command module, and maps outcomes to exit codes: 0 ok, 1 runtime failure, 2 bad usage or
 * invalid config (the message names the field). Commands of later features register here.
 */
import { ConfigError } from '../config/load.js';
import { UsageError } from './usage-error.js';

const HELP = `Usage: tollgate <command> [options]

Commands:
  start [--config FILE] [--port N] [--host H]   run the gateway (no config: defaults from env keys)
  mock-upstream [--port 9100] [--host H]        run the fake OpenAI/Anthropic/Workers AI server
  demo [--port 8787] [--requests N] [--exit]    mock upstream + gateway + a little traffic
  logs [--since 1h] [--model M] [--status 429] [--cache-status HIT] [--operation OP] [--follow] [--json]
       [--config FILE | --url URL --admin-key KEY]   read the request log
  keys create --name N --tenant T [--models a,b] [--tier standard] | list [--tenant T] | rotate ID | revoke ID
       | update ID [--name N] [--models a,b] [--tier T | --per-request USD --daily USD --monthly USD]
         [--per-second|--per-minute|--per-hour|--per-day|--tokens-per-minute N] [--label k=v]...
         [--clear models,rateLimits,budget,labels]
       [--config FILE | --url URL --admin-key KEY]   manage Tollgate API keys
  analytics [--today | --week | --from T --to T] [--group-by day,provider,model] [--format table|csv|json]
       [--out FILE] [--config FILE | --url URL --admin-key KEY]   usage from the hourly rollups
  migrate [--config FILE]                       apply request-log schema migrations
  alerts test --destination NAME [--config FILE]          send a sample alert to one destination
  alerts report --period daily|weekly [--destination NAME] build a summary report now
  export prometheus-rules [--config FILE] [--out FILE]     alerting rules equivalent to the built-ins
  export grafana-dashboard [--name NAME] [--out DIR]       Grafana dashboards over the metrics
  config check [FILE]                           validate a config file (exit 2 when invalid)
  config schema [--out FILE]                    print the JSON Schema of tollgate.yaml
  help                                          this text
`;

type Command = (args: string[]) => Promise<number>;

/**
 * Each command's module is loaded only when it runs: a running gateway then never holds the
 * table printer, the demo traffic or the key tooling the other commands bring in (their source
 * text stays resident in V8 once loaded).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./start-command.js')).runStart,
  'mock-upstream': async () => (await import('./mock-upstream-command.js')).runMockUpstream,
  demo: async () => (await import('./demo-command.js')).runDemo,
  config: async () => (await import('./config-command.js')).runConfigCommand,
  logs: async () => (await import('./logs-command.js')).runLogs,
  keys: async () => (await import('./keys-command.js')).runKeys,
  analytics: async () => (await import('./analytics-command.js')).runAnalytics,
  migrate: async () => (await import('./migrate-command.js')).runMigrate,
  alerts: async () => (await import('./alerts-command.js')).runAlerts,
  export: async () => (await import('./export-command.js')).runExport,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    process.stderr.write(`tollgate: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`tollgate ${name}: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`tollgate ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
