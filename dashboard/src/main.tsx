/**
 * Entry point: asks the gateway for the session (CSRF token, which optional APIs exist), then
 * renders the app. Without a session the gateway serves the login page instead of this bundle,
 * so reaching here without one means the session just ended: back to the login page.
 */
import { render } from 'preact';
import { fetchSession, setCsrf } from './api.js';
import { App } from './app.js';
import { applyTheme, initialTheme } from './theme.js';
import './styles.css';

applyTheme(initialTheme());
const root = document.getElementById('app')!;

fetchSession().then(
  (session) => {
    setCsrf(session.csrf);
    render(<App session={session} />, root);
  },
  () => { root.textContent = 'Could not open the session.'; },
);
