/**
 * The dashboard's built files (Vite output in dist/dashboard), read once into memory and served
 * by exact name. A request path is looked up as-is in that table: nothing is ever joined onto a
 * filesystem path, so `..`, encoded or double-encoded `..`, NUL bytes and directory names simply
 * find nothing (404), and there is no directory listing.
 *
 * Files under `assets/` carry a content hash in their names and are cached as immutable; the
 * HTML entry is never cached, so a new build is picked up on the next load. This module does not
 * decide who may see the files (dashboard-routes.ts does).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface StaticFile {
  body: Buffer;
  gzip: Buffer | undefined;
  type: string;
  cacheControl: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt']);

/** dist/dashboard, next to dist/src where this module runs from. */
export function defaultDashboardDir(): string {
  return fileURLToPath(new URL('../../../dashboard/', import.meta.url));
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Every file of the build by its URL path below /dashboard/ (`index.html`, `assets/x-1a2b.js`). */
export function loadStaticFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  let paths: string[];
  try {
    paths = walk(dir);
  } catch {
    return files; // not built: every lookup misses
  }
  for (const p of paths) {
    const ext = extname(p).toLowerCase();
    const type = TYPES[ext];
    if (!type) continue;
    const name = relative(dir, p).split(sep).join('/');
    const body = readFileSync(p);
    const immutable = name.startsWith('assets/');
    files.set(name, {
      body,
      gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body) : undefined,
      type,
      cacheControl: immutable ? 'public, max-age=31536000, immutable' : 'no-store',
    });
  }
  return files;
}

/**
 * The table key for a raw request URL below `/dashboard/`, or undefined when the URL is not a
 * plain file name: anything percent-encoded, a dot segment, a backslash or a control character.
 */
export function staticKey(rawUrl: string): string | undefined {
  const path = rawUrl.split('?', 1)[0];
  if (!path.startsWith('/dashboard/')) return undefined;
  const rest = path.slice('/dashboard/'.length);
  if (rest === '') return 'index.html';
  // Built names are plain ASCII; anything needing escapes is not one of ours.
  if (!/^[A-Za-z0-9._\-/]+$/.test(rest)) return undefined;
  if (rest.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) return undefined;
  return rest;
}
