/**
 * Test support for the PostgreSQL store tests: the server comes from DATABASE_URL, and each
 * store gets its own throw-away schema (`tollgate_test_<random>`) so parallel runs never see each
 * other's rows. A missing DATABASE_URL is an error, not a skip: CI always provides one, and a
 * silently skipped service test is a test that never runs.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set; the PostgreSQL store tests need a server (CI always sets it)');
  return url;
}

/** Hands out fresh schema names and drops every one of them at the end. */
export class TestSchemas {
  private readonly created: string[] = [];

  next(): string {
    const schema = `tollgate_test_${randomBytes(6).toString('hex')}`;
    this.created.push(schema);
    return schema;
  }

  /** DATABASE_URL with `?schema=` set to a fresh schema, for the URL-based entry points. */
  nextUrl(): { url: string; schema: string } {
    const schema = this.next();
    const url = new URL(testDatabaseUrl());
    url.searchParams.set('schema', schema);
    return { url: url.toString(), schema };
  }

  async dropAll(): Promise<void> {
    if (this.created.length === 0) return;
    await withClient(async (client) => {
      for (const schema of this.created.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    });
  }
}

/** Runs `fn` with a dedicated connection (not a store's pool), closed afterwards. */
export async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl(), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
