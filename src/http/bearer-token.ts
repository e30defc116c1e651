/**
 * Reads the token of an `Authorization: Bearer …` header value (scheme matched case-
 * insensitively, surrounding blanks ignored). Used wherever the gateway accepts a bearer
 * credential: client provider keys in pass-through mode and the admin key.
 */
const BEARER = /^\s*Bearer\s+(\S+)\s*$/i;

export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value ? BEARER.exec(value) : null;
  return m ? m[1] : undefined;
}
