/**
 * The file operations under the event spool: durable appends, sizes, reading a JSON-lines file
 * back line by line in bounded memory, and repairing a torn last line. They know nothing about
 * events; event-spool.ts decides what the lines mean and when files rotate.
 *
 * Durability: every append is followed by fdatasync before it resolves, so a write the caller
 * saw succeed survives a process kill and a power cut. That costs one flush per call, which is
 * why callers hand over whole batches. The directory itself is not fsynced after a file is
 * created or renamed; on a power cut at that instant the newest file name could be lost.
 */
import { open, stat } from 'node:fs/promises';

const NEWLINE = 0x0a;
const READ_CHUNK_BYTES = 64 * 1024;

/** Size in bytes; 0 when the file does not exist. */
export async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

/** Appends `text` (creating the file) and waits until it is on disk. */
export async function appendDurably(path: string, text: string): Promise<void> {
  const handle = await open(path, 'a');
  try {
    await handle.appendFile(text, 'utf8');
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * Ends the file with a newline if a crash cut its last line short, so the next append starts a
 * line of its own instead of being glued to (and lost with) the torn one.
 */
export async function repairTornTail(path: string): Promise<boolean> {
  const size = await fileSize(path);
  if (size === 0) return false;
  const handle = await open(path, 'r');
  let last: number;
  try {
    const probe = Buffer.alloc(1);
    await handle.read(probe, 0, 1, size - 1);
    last = probe[0];
  } finally {
    await handle.close();
  }
  if (last === NEWLINE) return false;
  await appendDurably(path, '\n');
  return true;
}

/**
 * Yields each line without its newline, including an unterminated last one. Splitting on the
 * byte 0x0A is safe in UTF-8: it never occurs inside a multi-byte character.
 */
export async function* readLines(path: string, chunkBytes = READ_CHUNK_BYTES): AsyncGenerator<string, void, undefined> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(chunkBytes);
    let carry = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      const chunk = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        yield chunk.toString('utf8', start, nl);
        start = nl + 1;
      }
      // Copied: `buffer` is overwritten by the next read.
      carry = Buffer.from(chunk.subarray(start));
    }
    if (carry.length > 0) yield carry.toString('utf8');
  } finally {
    await handle.close();
  }
}
