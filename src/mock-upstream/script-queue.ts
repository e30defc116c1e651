/**
 * The programmatic script queue: tests enqueue ordered lists of directive steps, optionally
 * restricted to a model or a path, and each matching request consumes the next step. A script
 * whose steps run out is removed, unless it repeats (then it starts over). When several scripts
 * match, the oldest one wins, so scripts queued one after the other play in order.
 *
 * Matching: `model` compares with the model name after its `~` suffix was removed; `path`
 * compares with the request path without its query, exactly, or as a prefix when the pattern
 * ends with `*`. The queue neither parses headers nor knows about routes.
 */
import { DirectiveError, validateDirectives, type Directives } from './directives.js';

export interface ScriptMatch {
  model?: string;
  path?: string;
}

export interface ScriptInput {
  match?: ScriptMatch;
  steps: Directives[];
  repeat?: boolean;
}

interface Script {
  match: ScriptMatch;
  steps: Directives[];
  repeat: boolean;
  next: number;
}

/** Validates an untrusted script (from JSON over HTTP or from a test) and returns a clean copy. */
export function validateScript(value: unknown): ScriptInput {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DirectiveError('a script must be an object with a steps array');
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (key !== 'match' && key !== 'steps' && key !== 'repeat') throw new DirectiveError(`unknown script field "${key}"`);
  }
  if (!Array.isArray(v.steps) || v.steps.length === 0) throw new DirectiveError('script.steps must be a non-empty array');
  if (v.repeat !== undefined && typeof v.repeat !== 'boolean') throw new DirectiveError('script.repeat must be a boolean');
  const out: ScriptInput = { steps: v.steps.map(validateDirectives), repeat: v.repeat === true };
  if (v.match !== undefined) out.match = validateMatch(v.match);
  return out;
}

function validateMatch(value: unknown): ScriptMatch {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DirectiveError('script.match must be an object');
  const out: ScriptMatch = {};
  for (const [key, v] of Object.entries(value)) {
    if (key !== 'model' && key !== 'path') throw new DirectiveError(`unknown match field "${key}"`);
    if (typeof v !== 'string') throw new DirectiveError(`script.match.${key} must be a string`);
    out[key] = v;
  }
  return out;
}

function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

export class ScriptQueue {
  private scripts: Script[] = [];

  get size(): number {
    return this.scripts.length;
  }

  add(input: ScriptInput): void {
    const clean = validateScript(input);
    this.scripts.push({ match: clean.match ?? {}, steps: clean.steps, repeat: clean.repeat === true, next: 0 });
  }

  clear(): void {
    this.scripts = [];
  }

  /** Returns the step for this request and advances its script, or undefined when none matches. */
  take(model: string | undefined, path: string): Directives | undefined {
    if (this.scripts.length === 0) return undefined;
    const index = this.scripts.findIndex((s) => this.matches(s.match, model, path));
    if (index === -1) return undefined;
    const script = this.scripts[index];
    const step = script.steps[script.next];
    script.next++;
    if (script.next >= script.steps.length) {
      if (script.repeat) script.next = 0;
      else this.scripts.splice(index, 1);
    }
    return step;
  }

  private matches(match: ScriptMatch, model: string | undefined, path: string): boolean {
    if (match.model !== undefined && match.model !== model) return false;
    if (match.path !== undefined && !pathMatches(match.path, path)) return false;
    return true;
  }
}
