/**
 * Light and dark themes: the system preference by default, a toggle that remembers the choice
 * in localStorage. The page's colours are CSS variables keyed on `data-theme` on <html>; charts
 * read the current theme through useTheme() and redraw with ECharts' own dark theme.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Theme = 'light' | 'dark';

export function initialTheme(): Theme {
  const saved = localStorage.getItem('tollgate-theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

/** Only an explicit toggle is remembered; until then the system preference decides. */
export function saveTheme(theme: Theme): void {
  localStorage.setItem('tollgate-theme', theme);
}

export const ThemeContext = createContext<Theme>('light');
export const useTheme = (): Theme => useContext(ThemeContext);
