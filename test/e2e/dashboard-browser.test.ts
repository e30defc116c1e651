/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core) against a real
 * gateway whose log store holds known traffic: requests sent through the fake upstream plus
 * usage events appended to the store (tenants, cache hits and misses, errors). Logs in, opens
 * every view, checks that its charts render and that the figures shown equal the totals of the
 * stored rows, filters and exports the log, logs out; no console errors anywhere. A screenshot
 * of each view goes to test-artifacts/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.js';
import { postJson } from './http-client.js';
import type { UsageEvent } from '../../src/metering/usage-event.js';
import { makeEvent } from '../../src/stores/events/event-fixtures.js';

const ADMIN = 'admin-key-browser-0123456789';

// Page functions run in the browser; the server build has no DOM types, so name what they use.
declare const document: {
  querySelectorAll(selector: string): { length: number };
  documentElement: { scrollWidth: number; clientWidth: number };
  dispatchEvent(event: Event): boolean;
  activeElement: { textContent: string | null } | null;
};
const ARTIFACTS = 'test-artifacts';

function seededEvents(now: number): UsageEvent[] {
  const base = { time: now - 5 * 60_000, keyId: null, user: null, metadata: null, payload: null };
  const out: UsageEvent[] = [];
  for (let i = 0; i < 4; i++) out.push(makeEvent({ ...base, requestId: `seed-hit-${i}`, operation: 'faq', tenant: 'acme', provider: 'openai', model: 'gpt-4o-mini', cacheStatus: 'HIT', costMicros: 0, savedMicros: 1500, latencyMs: 3 + i }));
  for (let i = 0; i < 2; i++) out.push(makeEvent({ ...base, requestId: `seed-miss-${i}`, operation: 'faq', tenant: 'acme', provider: 'openai', model: 'gpt-4o-mini', cacheStatus: 'MISS', costMicros: 1500, latencyMs: 400 + i }));
  for (let i = 0; i < 3; i++) {
    out.push(makeEvent({
      ...base, requestId: `seed-translate-${i}`, operation: 'translate', tenant: 'globex', provider: 'anthropic', model: 'claude-sonnet-4-5', cacheStatus: 'MISS',
      costMicros: 9000, latencyMs: 900 + i * 50, status: i === 0 ? 502 : 200, errorCode: i === 0 ? 'upstream_error' : null,
    }));
  }
  return out;
}

interface Totals { requests: number; errors: number; cost: number; saved: number; hits: number; misses: number }

function totalsOf(rows: UsageEvent[]): Totals {
  const t = { requests: rows.length, errors: 0, cost: 0, saved: 0, hits: 0, misses: 0 };
  for (const r of rows) {
    if (r.status >= 400) t.errors++;
    t.cost += r.costMicros ?? 0;
    t.saved += r.savedMicros;
    if (r.cacheStatus === 'HIT') t.hits++;
    if (r.cacheStatus === 'MISS') t.misses++;
  }
  return t;
}

async function kpi(page: Page, id: string): Promise<string> {
  return (await page.getAttribute(`main .kpi[data-kpi="${id}"]`, 'data-value')) ?? '';
}

async function openView(page: Page, view: string, charts: number): Promise<void> {
  await page.goto(`${page.url().split('#')[0]}#/${view}`);
  await page.waitForSelector(`main[data-view="${view}"] .status:has-text("Updated")`, { timeout: 10_000 });
  if (charts > 0) await page.waitForFunction((n) => document.querySelectorAll('main .chart svg').length >= n, charts, { timeout: 10_000 });
}

/** Waits until the log table lists exactly n requests (the empty-state row does not count). */
async function rowCount(page: Page, n: number): Promise<void> {
  await page.waitForFunction((k) => document.querySelectorAll('#log-table tbody tr:not(:has(td.empty))').length === k, n, { timeout: 10_000 });
}

async function shot(page: Page, view: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}/dashboard-${view}.png`, fullPage: true });
}

describe('dashboard in a browser', { timeout: 120_000 }, () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let rows: UsageEvent[];
  let realRequests = 0;
  const consoleErrors: string[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await startHarness({ config: () => ({ admin: { apiKey: ADMIN } }) });
    for (let i = 0; i < 3; i++) await h.client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `q${i}` }] }, { headers: { 'x-tollgate-operation': 'faq' } });
    for (let i = 0; i < 2; i++) await h.client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'summarise this' }] }, { headers: { 'x-tollgate-operation': 'summarize' } });
    await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/broken~status=400', messages: [{ role: 'user', content: 'x' }] });
    realRequests = 6;
    await h.gateway.services.events.flush();
    await h.gateway.services.store!.append(seededEvents(Date.now()));
    rows = [];
    for await (const r of h.gateway.services.store!.scan({})) rows.push(r);
    assert.equal(rows.length, realRequests + 9);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    // Only the gateway's own origin may be contacted: the page is fully bundled.
    page.on('request', (r) => { if (!r.url().startsWith(h.gateway.url)) consoleErrors.push(`external request ${r.url()}`); });
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  test('login with the admin key opens the executive view with the seeded totals', async (t) => {
    const started = Date.now();
    await page.goto(`${h.gateway.url}/dashboard/`);
    await page.fill('#key', 'wrong-key');
    await page.click('button[type="submit"]');
    await page.waitForSelector('#login-error');
    consoleErrors.length = 0; // the refused login's 401 is the browser's own console line
    await page.fill('#key', ADMIN);
    const loginAt = Date.now();
    await page.click('button[type="submit"]');
    await openView(page, 'executive', 4);
    t.diagnostic(`first load after login: ${Date.now() - loginAt} ms (page total ${Date.now() - started} ms)`);
    const want = totalsOf(rows);
    assert.equal(await kpi(page, 'requests'), String(want.requests));
    assert.equal(await kpi(page, 'cost'), String(want.cost));
    assert.equal(Number(await kpi(page, 'hit-rate')), want.hits / (want.hits + want.misses));
    assert.equal(Number(await kpi(page, 'error-rate')), want.errors / want.requests);
    const mean = rows.reduce((a, r) => a + r.latencyMs, 0) / rows.length;
    assert.ok(Math.abs(Number(await kpi(page, 'latency')) - mean) < 0.01);
    assert.match(await page.innerText('main .kpi[data-kpi="requests"] .kpi-value'), new RegExp(`^${want.requests}$`));
    assert.match(await page.innerText('#budgets-not-configured'), /budgets not configured/);
    await shot(page, 'executive');
    // A custom range of whole UTC days (yesterday through today) holds the same traffic.
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    await page.selectOption('#range', 'custom');
    await page.fill('#range-from', day(Date.now() - 86_400_000));
    await page.fill('#range-to', day(Date.now()));
    await page.click('button:has-text("Apply")');
    await page.waitForSelector(`h1 small:has-text("${day(Date.now() - 86_400_000)}")`);
    await page.waitForSelector(`main .kpi[data-kpi="requests"][data-value="${want.requests}"]`);
    await page.selectOption('#range', '24h');
    await page.waitForSelector('h1 small:has-text("last 24h")');
  });

  test('performance: model comparison equals the stored rows, slowest requests link to the log', async () => {
    await openView(page, 'performance', 6);
    const byModel = new Map<string, UsageEvent[]>();
    for (const r of rows) byModel.set(`${r.provider}/${r.model}`, [...(byModel.get(`${r.provider}/${r.model}`) ?? []), r]);
    const shown = await page.$$eval('#model-comparison tbody tr', (trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].querySelector('[data-value]')?.getAttribute('data-value'), tr.children[5].querySelector('[data-value]')?.getAttribute('data-value')]));
    assert.equal(shown.length, byModel.size);
    for (const [model, n, errors] of shown) {
      const mine = byModel.get(model ?? '') ?? [];
      assert.equal(Number(n), mine.length, model ?? '');
      assert.equal(Number(errors), mine.filter((r) => r.status >= 400).length, model ?? '');
    }
    const slowest = [...rows].sort((a, b) => b.latencyMs - a.latencyMs)[0];
    assert.equal(await page.innerText('#slowest tbody tr:first-child td:first-child'), slowest.requestId);
    await shot(page, 'performance');
    await page.click('#slowest tbody tr:first-child a');
    await page.waitForSelector('main[data-view="logs"] #log-table');
    await rowCount(page, 1);
    assert.equal(await page.inputValue('#f-requestId'), slowest.requestId);
  });

  test('cost: totals, savings and the highest-cost operations equal the stored rows', async () => {
    await openView(page, 'cost', 4);
    const want = totalsOf(rows);
    assert.equal(await kpi(page, 'cost'), String(want.cost));
    assert.equal(await kpi(page, 'saved'), String(want.saved));
    const ops = await page.$$eval('#top-operations tbody tr', (trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[2].querySelector('[data-value]')?.getAttribute('data-value')]));
    for (const [op, micros] of ops) {
      const mine = rows.filter((r) => (r.operation ?? '(none)') === op);
      assert.equal(Number(micros), mine.reduce((a, r) => a + (r.costMicros ?? 0), 0), op ?? '');
    }
    assert.equal(ops[0][0], 'translate');
    await page.selectOption('#cost-stack', 'provider');
    await page.waitForSelector('figcaption:has-text("Cost over time by provider")');
    await shot(page, 'cost');
  });

  test('cache: hits, misses and savings equal the stored rows; low hit-rate operations listed', async () => {
    await openView(page, 'cache', 3);
    const want = totalsOf(rows);
    assert.equal(await kpi(page, 'hits'), String(want.hits));
    assert.equal(await kpi(page, 'misses'), String(want.misses));
    assert.equal(await kpi(page, 'saved'), String(want.saved));
    const low = await page.$$eval('#low-hit-rate tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    assert.ok(low.includes('translate') && !low.includes('faq'), JSON.stringify(low));
    await shot(page, 'cache');
  });

  test('logs: every row listed, filters change the list, detail shows every field', async () => {
    await openView(page, 'logs', 0);
    await page.click('button:has-text("Clear")');
    await rowCount(page, rows.length);
    await page.fill('#f-operation', 'translate');
    await page.click('button:has-text("Apply filters")');
    await rowCount(page, 3);
    await page.selectOption('#f-cacheStatus', 'HIT');
    await page.fill('#f-operation', '');
    await page.click('button:has-text("Apply filters")');
    await rowCount(page, totalsOf(rows).hits);
    await page.click('#log-table tbody tr:first-child button.link');
    const fields = await page.$$eval('#log-detail [data-field]', (els) => els.map((e) => e.getAttribute('data-field')));
    for (const f of ['requestId', 'time', 'tenant', 'operation', 'provider', 'model', 'status', 'cacheStatus', 'attempts', 'fallbackIndex', 'latencyMs', 'tokensIn', 'tokensOut', 'costMicros', 'savedMicros']) assert.ok(fields.includes(f), f);
    await shot(page, 'logs');
  });

  test('export downloads the filtered rows as CSV and JSON', async () => {
    const hits = rows.filter((r) => r.cacheStatus === 'HIT').map((r) => r.requestId).sort();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const lines = readFileSync((await csv.path())!, 'utf8').trim().split('\r\n');
    assert.match(lines[0], /^requestId,time,/);
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]).sort(), hits);
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const data = JSON.parse(readFileSync((await json.path())!, 'utf8')) as UsageEvent[];
    assert.deepEqual(data.map((r) => r.requestId).sort(), hits);
  });

  test('providers & alerts: provider table, request count, alert rules, budgets not configured', async () => {
    await openView(page, 'providers', 1);
    assert.equal(await kpi(page, 'served'), String(realRequests));
    const names = await page.$$eval('#providers tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    for (const p of ['openai', 'anthropic']) assert.ok(names.includes(p), p);
    assert.ok((await page.$$eval('#alert-rules tbody tr td:first-child', (tds) => tds.map((td) => td.textContent))).includes('high-error-rate'));
    assert.match(await page.innerText('#budgets-not-configured'), /budgets not configured/);
    await shot(page, 'providers');
  });

  test('keyboard: Tab reaches the skip link and the views, Enter opens one', async () => {
    await openView(page, 'executive', 4);
    await page.evaluate(() => { (document.activeElement as { blur(): void } | null)?.blur(); });
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cost');
    await page.keyboard.press('Enter');
    await page.waitForSelector('main[data-view="cost"]');
    for (const id of ['range', 'cost-stack']) assert.ok(await page.$(`label[for="${id}"]`), `label for #${id}`);
  });

  test('dark theme and phone width still render', async () => {
    await page.click('#theme-toggle');
    await page.waitForSelector('html[data-theme="dark"]', { state: 'attached' });
    await page.setViewportSize({ width: 390, height: 844 });
    await openView(page, 'executive', 4);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
    await shot(page, 'executive-dark-phone');
  });

  test('live: new traffic shows up in the open view without a reload', async () => {
    await page.evaluate(() => { (globalThis as { marker?: number }).marker = 42; });
    await h.client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'one more' }] });
    await h.gateway.services.events.flush();
    // The page refreshes every 10 s, and at once when the tab becomes visible: use the latter.
    await page.evaluate(() => { document.dispatchEvent(new Event('visibilitychange')); });
    await page.waitForSelector(`main .kpi[data-kpi="requests"][data-value="${rows.length + 1}"]`, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => (globalThis as { marker?: number }).marker), 42, 'same page, not reloaded');
  });

  test('logout returns to the login page and the session no longer opens data', async () => {
    await page.click('#logout');
    await page.waitForSelector('form[action="/dashboard/login"]');
    const status = await page.evaluate(async () => (await fetch('/api/logs')).status);
    assert.equal(status, 401);
    // The probe's own refused fetch is the one expected console line.
    const probe = consoleErrors.findIndex((e) => /status of 401/.test(e));
    assert.ok(probe >= 0);
    consoleErrors.splice(probe, 1);
    assert.deepEqual(consoleErrors, []);
  });
});
