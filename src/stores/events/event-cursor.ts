/**
 * Page cursors for the log stores: an opaque base64url token holding the (time, requestId) of
 * the last row a page returned. The next page starts strictly after that position in the
 * newest-first order, so rows that tie on time are neither skipped nor repeated.
 *
 * A cursor carries no filter and no signature: it only says where to resume, and a tampered
 * one can at worst start a page at another position. Malformed cursors throw
 * InvalidCursorError, which the HTTP layer turns into a 400.
 */

export interface CursorPosition {
  time: number;
  requestId: string;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidCursorError';
  }
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.time, position.requestId]), 'utf8').toString('base64url');
}

/** Decodes a cursor from `encodeCursor`; null or empty means "first page". */
export function decodeCursor(cursor: string | null | undefined): CursorPosition | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw new InvalidCursorError();
  const [time, requestId] = decoded as unknown[];
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || typeof requestId !== 'string') {
    throw new InvalidCursorError();
  }
  return { time, requestId };
}
