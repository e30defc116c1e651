/**
 * Parses the `storage` setting (`sqlite://path`, `postgres://…`, `postgresql://…`) into what the
 * log stores need to open it. It does not open anything and does not check that a file or a
 * server exists.
 *
 * SQLite: everything after `sqlite://` is the path, so `sqlite://./data/tollgate.db` is relative
 * to the working directory, `sqlite:///var/lib/tollgate.db` is absolute and `sqlite://:memory:`
 * is an in-memory database. PostgreSQL: an optional `schema` query parameter picks the schema
 * (default `public`); it is removed before the URL reaches the driver.
 */

export type StorageTarget =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string; schema: string };

export class StorageUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageUrlError';
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Throws unless `schema` is a plain lower-case identifier, so it can be spliced into SQL unquoted. */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new StorageUrlError(`storage schema "${schema}" must match ${SCHEMA_NAME.source}`);
  }
  return schema;
}

export function parseStorageUrl(url: string): StorageTarget {
  if (url.startsWith('sqlite://')) {
    const path = url.slice('sqlite://'.length);
    if (path === '') throw new StorageUrlError('storage "sqlite://" needs a path, e.g. sqlite://./data/tollgate.db');
    return { kind: 'sqlite', path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new StorageUrlError('storage URL is not a valid postgres:// URL');
    }
    const schema = checkSchemaName(parsed.searchParams.get('schema') ?? 'public');
    parsed.searchParams.delete('schema');
    return { kind: 'postgres', url: parsed.toString(), schema };
  }
  throw new StorageUrlError('storage must start with sqlite:// or postgres://');
}
