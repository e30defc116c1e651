/**
 * Test support: a named budget's daily spend and reservation as the admin API reports it,
 * read after the gateway's guard settlements have landed (so an assertion never races one).
 */
import type { Harness } from './harness.js';
import { raw } from './http-client.js';

export interface BudgetFigures {
  spentMicros: number;
  reservedMicros: number;
}

export async function dailyBudget(h: Harness, adminKey: string, tenant: string, name: string): Promise<BudgetFigures> {
  await h.gateway.services.guards.idle();
  const r = await raw(`${h.gateway.url}/api/admin/budgets?tenant=${encodeURIComponent(tenant)}`, { method: 'GET', headers: { authorization: `Bearer ${adminKey}` } });
  const rows = r.json().data as Array<{ name: string; window: string } & BudgetFigures>;
  return rows.find((x) => x.name === name && x.window === 'daily')!;
}
