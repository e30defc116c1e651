/**
 * Reads a host string as an IP address literal in every spelling a URL parser or a resolver
 * might accept: dotted IPv4 with decimal, hex (0x7f) or octal (0177) parts and short forms
 * (127.1, 2130706433), IPv6 with or without brackets, zone ids and embedded IPv4, any case, and
 * a trailing dot. The result is canonical bytes, with IPv4-mapped IPv6 (::ffff:a.b.c.d) unmapped
 * to plain IPv4 so that one address has one form. It does not resolve names or judge addresses
 * (address-ranges.ts does that); anything that is not a literal is `undefined`.
 */
import { isIPv6 } from 'node:net';

export interface IpAddress {
  readonly family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  readonly bytes: Uint8Array;
}

/** One inet_aton part: 0x… hex, 0… octal, else decimal; undefined when malformed. */
function ipv4Part(part: string): number | undefined {
  if (part.length === 0) return undefined;
  let digits = part;
  let radix = 10;
  if (/^0x/i.test(part)) {
    digits = part.slice(2);
    radix = 16;
    if (digits.length === 0) return 0; // WHATWG reads a bare "0x" as zero
  } else if (part.length > 1 && part.startsWith('0')) {
    digits = part.slice(1);
    radix = 8;
  }
  const valid = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const n = parseInt(digits, radix);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** IPv4 in the inet_aton family of spellings: 1 to 4 parts, the last filling the rest. */
export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop(); // "1.2.3.4." as WHATWG
  if (parts.length === 0 || parts.length > 4) return undefined;
  const nums = parts.map(ipv4Part);
  if (nums.some((n) => n === undefined)) return undefined;
  const values = nums as number[];
  const last = values[values.length - 1];
  const head = values.slice(0, -1);
  if (head.some((n) => n > 255) || last >= 256 ** (5 - values.length)) return undefined;
  let value = last;
  head.forEach((n, i) => { value += n * 256 ** (3 - i); });
  return Uint8Array.of(value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255);
}

/** IPv6 (already checked by node:net) to 16 bytes, embedded dotted IPv4 included. */
function ipv6Bytes(text: string): Uint8Array {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    // Rewrite "::ffff:1.2.3.4" as "::ffff:102:304" so one expansion handles both forms.
    const v4 = parseIpv4(tail) ?? new Uint8Array(4);
    body = `${body.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const groups = (s: string): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const gap = body.indexOf('::');
  let words: number[];
  if (gap < 0) words = groups(body);
  else {
    const left = groups(body.slice(0, gap));
    const right = groups(body.slice(gap + 2));
    words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  const out = new Uint8Array(16);
  words.slice(0, 8).forEach((w, i) => { out[i * 2] = w >> 8; out[i * 2 + 1] = w & 255; });
  return out;
}

const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** The address a host string spells, or undefined when it is a name (or garbage). */
export function parseIpLiteral(host: string): IpAddress | undefined {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  const zone = h.indexOf('%');
  if (zone >= 0 && h.includes(':')) h = h.slice(0, zone); // fe80::1%eth0
  if (h.includes(':')) {
    if (!isIPv6(h)) return undefined;
    const bytes = ipv6Bytes(h);
    if (MAPPED_PREFIX.every((b, i) => bytes[i] === b)) return { family: 4, bytes: bytes.slice(12) };
    return { family: 6, bytes };
  }
  const v4 = parseIpv4(h);
  return v4 ? { family: 4, bytes: v4 } : undefined;
}

/** Canonical text: dotted quad, or RFC 5952-ish full-group IPv6 (for messages and matching). */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return [...ip.bytes].join('.');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((ip.bytes[i] << 8) | ip.bytes[i + 1]).toString(16));
  return words.join(':');
}
