/**
 * The files `bench:compare --profile DIR` leaves for one variant: its main thread's CPU profile
 * drawn as a flame graph (`<label>.svg`) and summarised per request (`<label>.txt`), next to
 * the `.cpuprofile` node wrote into `<label>/`. Worker threads write profiles there too; they
 * are left as they are (their work is not per request on the event loop).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCpuProfile, renderSummary, summarize, timedTree } from './cpu-profile.js';
import { flameGraphSvg } from './flame-graph.js';

/**
 * node names a profile `CPU.<date>.<time>.<pid>.<thread id>.<sequence>.cpuprofile`; the main
 * thread's id is 0.
 */
export function mainThreadProfile(dir: string): string | undefined {
  const files = readdirSync(dir).filter((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f)).sort();
  return files.length > 0 ? join(dir, files[files.length - 1]) : undefined;
}

/** Writes the flame graph and the summary; returns what was written, or why nothing was. */
export function writeProfileReport(profileDir: string, label: string, requests: number): string {
  let file: string | undefined;
  try {
    file = mainThreadProfile(join(profileDir, label));
  } catch {
    file = undefined;
  }
  if (!file) return `no main-thread profile in ${join(profileDir, label)} (did the process exit cleanly?)`;
  const tree = timedTree(readCpuProfile(file));
  const title = `${label}: main thread, ${requests} requests answered`;
  const svg = join(profileDir, `${label}.svg`);
  const txt = join(profileDir, `${label}.txt`);
  writeFileSync(svg, flameGraphSvg(tree, title, requests));
  writeFileSync(txt, renderSummary(summarize(tree), `${title} (${file})`, requests));
  return `${svg}, ${txt}`;
}
