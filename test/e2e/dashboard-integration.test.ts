/**
 * The dashboard against the features it reads from other parts of the gateway, in a real
 * browser: budgets (access control) and live cache counters (response cache). A gateway with a
 * tenant budget and the cache on serves keyed traffic; the Providers view's budget table shows
 * that tenant's spend against its limit, and the Cache view's counters show the hits.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';

const ADMIN = 'admin-key-dashboard-integration-01';
const KEY = 'tg-acme-dashboard-key-0123456789abcdef';

describe('dashboard with budgets and the cache', { timeout: 90_000 }, () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    mkdirSync('test-artifacts', { recursive: true });
    h = await startHarness({
      config: () => ({
        admin: { apiKey: ADMIN },
        cache: { enabled: true, shared: 'none' },
        tenants: { acme: { budget: { daily: 2.5 } } },
        keys: [{ name: 'acme-app', tenant: 'acme', key: KEY }],
      }),
    });
    for (let i = 0; i < 3; i++) {
      const r = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'same question' }] }, { authorization: `Bearer ${KEY}` });
      assert.equal(r.status, 200);
    }
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${h.gateway.url}/dashboard/`);
    await page.fill('#key', ADMIN);
    await page.click('button[type="submit"]');
    await page.waitForSelector('main[data-view="executive"] .status:has-text("Updated")', { timeout: 10_000 });
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  test('the budget table shows the tenant, its spend and its daily limit, as the admin API reports them', async () => {
    const api = (await raw(`${h.gateway.url}/api/admin/budgets`, { method: 'GET', headers: { authorization: `Bearer ${ADMIN}` } })).json() as { data: Array<{ tenant: string; window: string; spentUsd: number; limitUsd: number }> };
    const daily = api.data.find((b) => b.tenant === 'acme' && b.window === 'daily');
    assert.ok(daily, 'the admin API lists the tenant budget');
    assert.equal(daily.limitUsd, 2.5);
    assert.ok(daily.spentUsd > 0, 'the miss was billed against the budget');
    await page.goto(`${page.url().split('#')[0]}#/providers`);
    await page.waitForSelector('#budgets tbody tr', { timeout: 10_000 });
    const cells = await page.$$eval('#budgets tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    const row = cells.find((c) => c.includes('acme') && c.includes('daily'));
    assert.ok(row, `a daily row for acme in ${JSON.stringify(cells)}`);
    assert.ok(row.includes('2.50'), 'limit shown');
    await page.screenshot({ path: 'test-artifacts/dashboard-budgets.png', fullPage: true });
  });

  test('the cache view shows live cache counters', async () => {
    await page.goto(`${page.url().split('#')[0]}#/cache`);
    await page.waitForSelector('#cache-stats tbody tr', { timeout: 10_000 });
    const stats = Object.fromEntries(await page.$$eval('#cache-stats tbody tr', (trs) => trs.map((tr) => [tr.children[0]?.textContent ?? '', tr.children[1]?.textContent ?? ''])));
    assert.equal(stats.hits, '2');
    assert.equal(stats.misses, '1');
    assert.deepEqual(errors, []);
  });
});
