/**
 * The process logger (pino): JSON lines by default, or a compact human format when
 * `logging.format: pretty`. Request-level records are built by metering from allowlists; this
 * module only creates the logger and never logs request bodies.
 */
import pino, { type Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { stdoutLogStream } from './stdout.js';

export function createLogger(logging: Config['logging'], destination: pino.DestinationStream = stdoutLogStream()): Logger {
  return pino(
    {
      level: logging.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['*.apiKey', '*.authorization', '*.headers.authorization', 'config.providers.*.apiKey'], censor: '[REDACTED]' },
    },
    destination,
  );
}
