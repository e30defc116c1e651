/**
 * The page shell: navigation between the six views (hash routes, so a view and its log filters
 * can be linked and reloaded), the shared time range, the live switch, the theme toggle and
 * logout. Views get the resolved range; it moves forward on every live refresh.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { logout, type Session } from './api.js';
import { TickContext, useTicker } from './live.js';
import { resolveRange, type Preset, type RangeChoice } from './range.js';
import { applyTheme, initialTheme, saveTheme, ThemeContext, type Theme } from './theme.js';
import { Cache } from './views/cache.js';
import { Cost } from './views/cost.js';
import { Executive } from './views/executive.js';
import { Logs } from './views/logs.js';
import { Performance } from './views/performance.js';
import { Providers } from './views/providers.js';

const VIEWS = [
  ['executive', 'Executive'],
  ['performance', 'Performance'],
  ['cost', 'Cost'],
  ['cache', 'Cache'],
  ['logs', 'Logs'],
  ['providers', 'Providers & alerts'],
] as const;
type ViewId = (typeof VIEWS)[number][0];

function parseHash(hash: string): { view: ViewId; params: Record<string, string> } {
  const [path, qs] = hash.replace(/^#\/?/, '').split('?');
  const view = (VIEWS.find(([id]) => id === path)?.[0] ?? 'executive') as ViewId;
  return { view, params: Object.fromEntries(new URLSearchParams(qs ?? '')) };
}

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function RangePicker(props: { choice: RangeChoice; onChange: (c: RangeChoice) => void }) {
  const today = new Date().toISOString().slice(0, 10);
  const [from, setFrom] = useState(props.choice.fromDay ?? today);
  const [to, setTo] = useState(props.choice.toDay ?? today);
  return (
    <div class="range">
      <label for="range">Range</label>
      <select id="range" value={props.choice.preset} onChange={(e) => {
        const preset = (e.currentTarget as HTMLSelectElement).value as Preset;
        props.onChange(preset === 'custom' ? { preset, fromDay: from, toDay: to } : { preset });
      }}>
        <option value="24h">Last 24 hours</option>
        <option value="7d">Last 7 days</option>
        <option value="30d">Last 30 days</option>
        <option value="custom">Custom (UTC days)</option>
      </select>
      {props.choice.preset === 'custom' ? (
        <>
          <label for="range-from">From</label>
          <input id="range-from" type="date" value={from} max={to} onChange={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
          <label for="range-to">To</label>
          <input id="range-to" type="date" value={to} min={from} onChange={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
          <button type="button" onClick={() => props.onChange({ preset: 'custom', fromDay: from, toDay: to })}>Apply</button>
        </>
      ) : null}
    </div>
  );
}

export function App(props: { session: Session }) {
  const { view, params } = parseHash(useHash());
  const [choice, setChoice] = useState<RangeChoice>({ preset: '24h' });
  const [live, setLive] = useState(true);
  const [theme, setTheme] = useState<Theme>(initialTheme());
  const tick = useTicker(live);
  const range = useMemo(() => resolveRange(choice), [choice, tick]);
  useEffect(() => applyTheme(theme), [theme]);
  const title = VIEWS.find(([id]) => id === view)?.[1] ?? '';
  useEffect(() => { document.title = `${title} · Tollgate`; }, [title]);

  return (
    <ThemeContext.Provider value={theme}>
      <TickContext.Provider value={tick}>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <strong class="brand">Tollgate</strong>
          <nav aria-label="Views">
            <ul>
              {VIEWS.map(([id, name]) => (
                <li key={id}><a href={`#/${id}`} aria-current={id === view ? 'page' : undefined}>{name}</a></li>
              ))}
            </ul>
          </nav>
          <div class="controls">
            <RangePicker choice={choice} onChange={setChoice} />
            <label class="switch"><input type="checkbox" checked={live} onChange={(e) => setLive((e.currentTarget as HTMLInputElement).checked)} /> Live</label>
            <button type="button" id="theme-toggle" aria-pressed={theme === 'dark'} onClick={() => { const next = theme === 'dark' ? 'light' : 'dark'; saveTheme(next); setTheme(next); }}>
              {theme === 'dark' ? 'Light theme' : 'Dark theme'}
            </button>
            <button type="button" id="logout" onClick={() => void logout()}>Log out</button>
          </div>
        </header>
        <main id="main" tabIndex={-1} data-view={view}>
          <h1>{title} <small>{range.label}</small></h1>
          {view === 'executive' ? <Executive range={range} session={props.session} /> : null}
          {view === 'performance' ? <Performance range={range} /> : null}
          {view === 'cost' ? <Cost range={range} session={props.session} /> : null}
          {view === 'cache' ? <Cache range={range} session={props.session} /> : null}
          {view === 'logs' ? <Logs range={range} initial={params} /> : null}
          {view === 'providers' ? <Providers session={props.session} /> : null}
        </main>
      </TickContext.Provider>
    </ThemeContext.Provider>
  );
}
