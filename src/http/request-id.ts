/**
 * Request ids: honour a sane incoming `x-request-id` (so traces line up with the caller's),
 * otherwise mint a UUID. "Sane" is short and made of URL- and log-safe characters, so an id
 * can never smuggle a header break or a log line into our output.
 */
import { randomUUID } from 'node:crypto';

const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SANE_ID.test(value) ? value : randomUUID();
}
