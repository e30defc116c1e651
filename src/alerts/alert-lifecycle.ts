/**
 * The state of one alert instance (a rule × a scope value): inactive → pending (condition
 * holds, waiting for the rule's `for`) → firing → resolved (→ inactive). Only the firing and
 * resolved transitions are reported, once each, which is the deduplication: a condition that
 * keeps holding never notifies twice. A resolved alert does not fire again within the rule's
 * cooldown, so a flapping signal cannot page every minute.
 */
import type { AlertRule, Severity } from './alert-rule.js';
import { breaches, threshold } from './alert-rule.js';

export type AlertState = 'firing' | 'resolved';

export interface AlertTransition {
  /** Stable per rule and scope value: the dedup key destinations use. */
  key: string;
  rule: string;
  scope: string;
  state: AlertState;
  severity: Severity;
  signal: AlertRule['signal'];
  value: number;
  threshold: number;
  comparison: 'above' | 'below';
  /** When the condition began to hold (epoch ms). */
  since: number;
  at: number;
}

interface Instance {
  phase: 'pending' | 'firing';
  since: number;
  value: number;
}

export class AlertLifecycle {
  private readonly instances = new Map<string, Instance>();
  private readonly resolvedAt = new Map<string, number>();

  /** Applies one measurement round of `rule`; returns the transitions it caused. */
  step(rule: AlertRule, values: ReadonlyMap<string, number>, now: number): AlertTransition[] {
    const out: AlertTransition[] = [];
    const prefix = `${rule.name}|`;
    for (const [scope, value] of values) {
      const key = prefix + scope;
      const inst = this.instances.get(key);
      if (!breaches(rule, value)) {
        if (inst) this.end(rule, key, scope, inst, value, now, out);
        continue;
      }
      if (!inst) {
        this.instances.set(key, { phase: 'pending', since: now, value });
        this.maybeFire(rule, key, scope, this.instances.get(key)!, now, out);
      } else {
        inst.value = value;
        if (inst.phase === 'pending') this.maybeFire(rule, key, scope, inst, now, out);
      }
    }
    // Instances whose scope produced no value this round lost their data: the condition ended.
    for (const [key, inst] of this.instances) {
      if (!key.startsWith(prefix)) continue;
      const scope = key.slice(prefix.length);
      if (!values.has(scope)) this.end(rule, key, scope, inst, inst.value, now, out);
    }
    for (const [key, at] of this.resolvedAt) {
      if (key.startsWith(prefix) && now - at >= rule.cooldown) this.resolvedAt.delete(key);
    }
    return out;
  }

  firing(): Array<{ key: string; since: number; value: number }> {
    return [...this.instances].filter(([, i]) => i.phase === 'firing').map(([key, i]) => ({ key, since: i.since, value: i.value }));
  }

  /** Forget rules that no longer exist (after a config reload). */
  retain(ruleNames: ReadonlySet<string>): void {
    for (const key of this.instances.keys()) if (!ruleNames.has(key.slice(0, key.indexOf('|')))) this.instances.delete(key);
  }

  private maybeFire(rule: AlertRule, key: string, scope: string, inst: Instance, now: number, out: AlertTransition[]): void {
    if (now - inst.since < rule.for) return;
    const resolved = this.resolvedAt.get(key);
    if (resolved !== undefined && now - resolved < rule.cooldown) return;
    inst.phase = 'firing';
    out.push(transition(rule, key, scope, 'firing', inst.value, inst.since, now));
  }

  private end(rule: AlertRule, key: string, scope: string, inst: Instance, value: number, now: number, out: AlertTransition[]): void {
    this.instances.delete(key);
    if (inst.phase !== 'firing') return;
    this.resolvedAt.set(key, now);
    out.push(transition(rule, key, scope, 'resolved', value, inst.since, now));
  }
}

function transition(rule: AlertRule, key: string, scope: string, state: AlertState, value: number, since: number, at: number): AlertTransition {
  return {
    key, rule: rule.name, scope, state, severity: rule.severity, signal: rule.signal, value,
    threshold: threshold(rule), comparison: rule.above !== undefined ? 'above' : 'below', since, at,
  };
}
