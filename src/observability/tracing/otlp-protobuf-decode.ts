/**
 * Test support: decodes an OTLP/HTTP binary protobuf trace export into the same shape as its
 * JSON encoding (resourceSpans → scopeSpans → spans, ids as hex, attributes as key/value
 * lists), so the test receiver checks what the protobuf exporter really sent. Only the fields
 * the gateway emits are read (names, kinds, ids, attributes, events, status); links, scopes and
 * timestamps are skipped. Not used at runtime.
 */
type Field = { no: number; wire: number; num: bigint; bytes: Buffer };

function varint(buf: Buffer, at: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (;;) {
    const b = buf[at++];
    value |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [value, at];
    shift += 7n;
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < buf.length) {
    const [tag, next] = varint(buf, at);
    at = next;
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) {
      const [num, after] = varint(buf, at);
      out.push({ no, wire, num, bytes: Buffer.alloc(0) });
      at = after;
    } else if (wire === 2) {
      const [len, after] = varint(buf, at);
      out.push({ no, wire, num: 0n, bytes: buf.subarray(after, after + Number(len)) });
      at = after + Number(len);
    } else {
      const size = wire === 1 ? 8 : 4;
      out.push({ no, wire, num: 0n, bytes: buf.subarray(at, at + size) });
      at += size;
    }
  }
  return out;
}

const all = (fs: Field[], no: number): Field[] => fs.filter((f) => f.no === no);
const one = (fs: Field[], no: number): Field | undefined => fs.find((f) => f.no === no);

function anyValue(buf: Buffer): Record<string, unknown> {
  const f = fields(buf)[0];
  if (!f) return {};
  switch (f.no) {
    case 1: return { stringValue: f.bytes.toString('utf8') };
    case 2: return { boolValue: f.num !== 0n };
    case 3: return { intValue: BigInt.asIntN(64, f.num).toString() };
    case 4: return { doubleValue: f.bytes.readDoubleLE(0) };
    default: return {};
  }
}

function attributes(fs: Field[], no: number): Array<{ key: string; value: Record<string, unknown> }> {
  return all(fs, no).map((kv) => {
    const k = fields(kv.bytes);
    return { key: one(k, 1)?.bytes.toString('utf8') ?? '', value: anyValue(one(k, 2)?.bytes ?? Buffer.alloc(0)) };
  });
}

function span(buf: Buffer): Record<string, unknown> {
  const s = fields(buf);
  const status = fields(one(s, 15)?.bytes ?? Buffer.alloc(0));
  return {
    traceId: one(s, 1)?.bytes.toString('hex') ?? '',
    spanId: one(s, 2)?.bytes.toString('hex') ?? '',
    parentSpanId: one(s, 4)?.bytes.toString('hex') ?? '',
    name: one(s, 5)?.bytes.toString('utf8') ?? '',
    kind: Number(one(s, 6)?.num ?? 0n),
    attributes: attributes(s, 9),
    events: all(s, 11).map((e) => {
      const ef = fields(e.bytes);
      return { name: one(ef, 2)?.bytes.toString('utf8') ?? '', attributes: attributes(ef, 3) };
    }),
    status: { ...(one(status, 2) ? { message: one(status, 2)!.bytes.toString('utf8') } : {}), ...(one(status, 3) ? { code: Number(one(status, 3)!.num) } : {}) },
  };
}

/** The JSON-shaped body of a binary ExportTraceServiceRequest. */
export function decodeTraceExport(body: Buffer): Record<string, unknown> {
  return {
    resourceSpans: all(fields(body), 1).map((rs) => {
      const r = fields(rs.bytes);
      return {
        resource: { attributes: attributes(fields(one(r, 1)?.bytes ?? Buffer.alloc(0)), 1) },
        scopeSpans: all(r, 2).map((ss) => ({ spans: all(fields(ss.bytes), 2).map((sp) => span(sp.bytes)) })),
      };
    }),
  };
}
