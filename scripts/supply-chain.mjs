#!/usr/bin/env node
// Supply-chain checks (docs/supply-chain.md), one subcommand each:
//   install-scripts  fails when a locked package other than the trusted native modules declares
//                    install scripts (they are skipped by `npm ci --ignore-scripts`, so a new one
//                    would either break silently or need a deliberate decision); offline.
//   audit            `npm audit --omit=dev` gate: fails on high or critical advisories, and fails
//                    with a clear message when the registry's audit service cannot be reached.
//   sbom             writes a CycloneDX SBOM of the production dependencies to sbom.json (from
//                    the lockfile, so it does not depend on what node_modules holds).
// It installs nothing and never edits package.json or the lockfile.
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Native modules whose install script we run (`npm rebuild <name>` after `npm ci --ignore-scripts`). */
const TRUSTED_INSTALL_SCRIPTS = ['better-sqlite3'];

function npm(args) {
  const r = spawnSync('npm', args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return r;
}

function installScripts() {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const offenders = Object.entries(lock.packages ?? {})
    .filter(([path, meta]) => path !== '' && meta.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
    .filter((name) => !TRUSTED_INSTALL_SCRIPTS.includes(name));
  if (offenders.length > 0) {
    console.error(`supply-chain: packages with install scripts not in the trusted list: ${offenders.join(', ')}`);
    console.error('Review them; add to TRUSTED_INSTALL_SCRIPTS in scripts/supply-chain.mjs and to the `npm rebuild` line of .ci/run only if they must run.');
    return 1;
  }
  console.log(`supply-chain: only trusted packages have install scripts (${TRUSTED_INSTALL_SCRIPTS.join(', ')})`);
  return 0;
}

const UNREACHABLE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|socket hang up|network|405|404|50\d/i;

function audit() {
  const r = npm(['audit', '--omit=dev', '--json']);
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    report = undefined;
  }
  if (!report || report.error || report.statusCode || !report.metadata) {
    const why = report?.error?.summary || report?.message || r.stderr.trim().split('\n').pop() || 'no answer';
    const hint = UNREACHABLE.test(`${why} ${report?.statusCode ?? ''}`) ? 'the registry audit service is unreachable or unsupported here' : 'npm audit failed';
    console.error(`supply-chain audit: FAILED, ${hint}: ${String(why).slice(0, 300)}`);
    console.error('The gate needs https://registry.npmjs.org (or a registry that implements the bulk advisory endpoint). It is not skipped.');
    return 2;
  }
  const counts = report.metadata.vulnerabilities ?? {};
  const serious = (counts.high ?? 0) + (counts.critical ?? 0);
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    if (v.severity !== 'high' && v.severity !== 'critical') continue;
    const titles = (v.via ?? []).filter((x) => typeof x === 'object').map((x) => `${x.title} ${x.url ?? ''}`.trim());
    console.error(`  ${v.severity}: ${name} ${v.range ?? ''} ${titles.join('; ')}`);
  }
  const summary = ['critical', 'high', 'moderate', 'low'].map((s) => `${s} ${counts[s] ?? 0}`).join(', ');
  if (serious > 0) {
    console.error(`supply-chain audit: FAILED (${summary}); fix with an upgrade or an overrides entry`);
    return 1;
  }
  console.log(`supply-chain audit: ok, no high or critical advisories in production dependencies (${summary})`);
  return 0;
}

function sbom() {
  const r = npm(['sbom', '--sbom-format', 'cyclonedx', '--package-lock-only', '--omit', 'dev']);
  if (r.status !== 0) {
    console.error(`supply-chain sbom: npm sbom failed: ${r.stderr.trim().slice(0, 500)}`);
    return 1;
  }
  const doc = JSON.parse(r.stdout);
  writeFileSync(join(root, 'sbom.json'), `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`supply-chain sbom: wrote sbom.json (CycloneDX ${doc.specVersion}, ${doc.components?.length ?? 0} components)`);
  return 0;
}

const commands = { 'install-scripts': installScripts, audit, sbom };
const name = process.argv[2];
const run = commands[name];
if (!run) {
  console.error(`usage: node scripts/supply-chain.mjs <${Object.keys(commands).join('|')}>`);
  process.exit(64);
}
process.exit(run());
