/**
 * Loads a CommonJS dependency on first use instead of at start. Some dependencies cost far more
 * resident memory than their use justifies in a gateway that may never need them: the Redis
 * client only for `state: redis://`, the SMTP client only for email alerts, graphql-js only for
 * `/graphql`, the OpenTelemetry SDK only with tracing on, the PostgreSQL driver only for
 * `postgres://` storage. (The tokenizer loads lazily too, from
 * its own JSON table: see metering/pricing/token-ranks.ts.) Importing them statically made every gateway pay
 * for all of them.
 *
 * The load is synchronous (`require` of the package's CommonJS build) so the callers keep their
 * synchronous shape; the price is a one-time pause on the first call, which is why only
 * dependencies used off the common request path, or once at start, go through here. Types still
 * come from `import type`, which costs nothing at run time.
 */
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/** Returns a getter that requires `specifier` on its first call and remembers the module. */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(specifier) as T);
}
