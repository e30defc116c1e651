/**
 * Standard output as the gateway writes it: one asynchronous destination (pino's SonicBoom on
 * fd 1), shared by the process logger (logger.ts) and the request lines (console-sink.ts).
 *
 * Why not `process.stdout`: on Linux Node writes to a pipe or a file synchronously, so a reader
 * that falls behind (a log shipper, `docker logs`) filled the pipe and then stalled the event
 * loop, and every request with it, until it caught up. Here the writes happen off the event
 * loop; what the reader has not taken yet waits in memory, up to MAX_BUFFERED bytes, and past
 * that whole writes are dropped and counted (`stdoutDrops`), never split. One destination for
 * both writers keeps their lines whole and in order: two writers to one pipe could interleave
 * inside a large write. Pino flushes its destinations synchronously when the process exits.
 *
 * Not for the CLI's own output (`tollgate config check` and friends print with console).
 */
import pino from 'pino';

const MAX_BUFFERED = 64 * 1024 * 1024;

type Destination = ReturnType<typeof pino.destination>;

let shared: Destination | undefined;
let drops = 0;

export function stdoutDestination(): Destination {
  if (!shared) {
    shared = pino.destination({ dest: 1, sync: false, maxLength: MAX_BUFFERED });
    shared.on('drop', () => { drops++; });
  }
  return shared;
}

/** Writes refused because MAX_BUFFERED bytes were already waiting for the reader. */
export function stdoutDrops(): number {
  return drops;
}
