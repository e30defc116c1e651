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
 * It takes bytes: the request lines arrive as UTF-8 chunks (console-sink.ts), and a string handed
 * over instead would be measured and encoded again on its way to the file descriptor. The
 * logger's records, a few per minute, are encoded here once each (`stdoutLogStream`).
 *
 * Not for the CLI's own output (`tollgate config check` and friends print with console).
 */
import pino from 'pino';

const MAX_BUFFERED = 64 * 1024 * 1024;

/** SonicBoom in buffer mode (its typings know only strings). */
type Destination = Omit<ReturnType<typeof pino.destination>, 'write'> & { write(chunk: Buffer): boolean };

let shared: Destination | undefined;
let logStream: pino.DestinationStream | undefined;
let drops = 0;

/** The shared destination; write Buffers to it. */
export function stdoutDestination(): Destination {
  if (!shared) {
    const created = pino.destination({ dest: 1, sync: false, maxLength: MAX_BUFFERED, contentMode: 'buffer' });
    created.on('drop', () => { drops++; });
    shared = created as unknown as Destination;
  }
  return shared;
}

/** The same destination as a stream of strings, for the process logger. */
export function stdoutLogStream(): pino.DestinationStream {
  if (!logStream) {
    const destination = stdoutDestination();
    logStream = { write: (record: string) => { destination.write(Buffer.from(record, 'utf8')); } };
  }
  return logStream;
}

/** Writes refused because MAX_BUFFERED bytes were already waiting for the reader. */
export function stdoutDrops(): number {
  return drops;
}
