/**
 * Encodes an embedding vector the way OpenAI does for `encoding_format: "base64"`: the
 * little-endian float32 bytes, base64-encoded. Needed because the official OpenAI SDKs ask for
 * base64 by default and decode whatever string comes back, while Workers AI only returns floats.
 */
export function float32Base64(values: readonly number[]): string {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes.toString('base64');
}
