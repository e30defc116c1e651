/**
 * The protobuf wire primitives the span encoder needs (span-encoder.ts): varints, tags,
 * length-delimited fields whose length is written when they close, fixed-width numbers,
 * strings and hex ids, appended to one growable buffer. Not a general protobuf library: no
 * reading, no zig-zag, no packed fields, because OTLP spans use none of them.
 */
import type { HrTime } from '@opentelemetry/api';

const TWO_32 = 0x1_0000_0000;
/** Hex digit values by character code (ids are validated hex before they reach a span). */
const HEX = new Uint8Array(128);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = HEX['0123456789ABCDEF'.charCodeAt(i)] = i;

/** An append-only protobuf writer over one growable buffer. */
/** The second whose nanoseconds `baseLow`/`baseHigh` hold (low and high 32 bits of seconds × 10^9). */
let baseSecond = Number.NaN;
let baseLow = 0;
let baseHigh = 0;

/** Splits seconds × 10^9 into 32-bit halves without leaving the doubles' exact range. */
function secondBase(seconds: number): void {
  const low = (seconds % 0x10000) * 1e9; // < 2^53, exact
  const high = Math.floor(seconds / 0x10000) * 1e9; // to be shifted up 16 bits
  const sum = (low % TWO_32) + (high % 0x10000) * 0x10000;
  baseLow = sum % TWO_32;
  baseHigh = (Math.floor(low / TWO_32) + Math.floor(high / 0x10000) + Math.floor(sum / TWO_32)) % TWO_32;
  baseSecond = seconds;
}

export class Writer {
  buf = Buffer.allocUnsafe(16 * 1024);
  pos = 0;

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  varint(v: number): void {
    this.room(10);
    while (v > 0x7f) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  /** A negative int64: ten bytes of two's complement. */
  negative(v: number): void {
    this.room(10);
    let u = BigInt.asUintN(64, BigInt(v));
    for (let i = 0; i < 9; i++) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /**
   * Short ASCII text (nearly every key and value) is copied by hand: a call into Buffer's
   * native writer costs more than the copy itself at these lengths.
   */
  string(s: string): void {
    const n = s.length;
    if (n < 0x80) {
      this.room(n + 1);
      const buf = this.buf;
      const start = this.pos;
      let p = start + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i === n) {
        buf[start] = n;
        this.pos = p;
        return;
      }
    }
    const bytes = Buffer.byteLength(s);
    this.varint(bytes);
    this.room(bytes);
    this.pos += this.buf.write(s, this.pos, bytes, 'utf8');
  }

  /** Bytes already encoded elsewhere, copied as they are. */
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A lower-case hex id as its bytes. */
  hex(id: string): void {
    const n = id.length >>> 1;
    this.room(n + 1);
    const buf = this.buf;
    buf[this.pos++] = n;
    for (let i = 0; i < id.length; i += 2) buf[this.pos++] = (HEX[id.charCodeAt(i)] << 4) | HEX[id.charCodeAt(i + 1)];
  }

  fixed32(v: number): void {
    this.room(4);
    this.pos = this.buf.writeUInt32LE(v >>> 0, this.pos);
  }

  double(v: number): void {
    this.room(8);
    this.pos = this.buf.writeDoubleLE(v, this.pos);
  }

  /**
   * [seconds, nanoseconds] as fixed64 nanoseconds, exactly (no float rounding). The whole
   * second's part is worked out once per second (secondBase): a span's start and end, and every
   * other span of that second, only add their nanoseconds to it.
   */
  time(t: HrTime): void {
    const [seconds, nanos] = t;
    if (seconds !== baseSecond) secondBase(seconds);
    let low = baseLow + nanos; // < 2^32 + 1e9: exact
    let high = baseHigh;
    if (low >= TWO_32) {
      low -= TWO_32;
      high = (high + 1) % TWO_32;
    }
    this.room(8);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = low;
    buf[p + 1] = low >>> 8;
    buf[p + 2] = low >>> 16;
    buf[p + 3] = low >>> 24;
    buf[p + 4] = high;
    buf[p + 5] = high >>> 8;
    buf[p + 6] = high >>> 16;
    buf[p + 7] = high >>> 24;
    this.pos = p + 8;
  }

  /** Opens a length-delimited field: one byte is kept for its length, widened on close. */
  open(): number {
    this.room(1);
    return this.pos++;
  }

  close(at: number): void {
    const len = this.pos - at - 1;
    let size = 1;
    for (let v = len; v > 0x7f; v = Math.floor(v / 0x80)) size++;
    if (size > 1) {
      this.room(size - 1);
      this.buf.copyWithin(at + size, at + 1, this.pos);
      this.pos += size - 1;
    }
    const end = this.pos;
    this.pos = at;
    this.varint(len);
    this.pos = end;
  }
}
