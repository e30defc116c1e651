/**
 * The one page the dashboard serves without a session: a plain HTML form that posts the admin
 * key to /dashboard/login. Self-contained (inline styles, system fonts, no script), so it loads
 * nothing else and needs nothing from the build. It never echoes what was typed.
 */

const STYLE = `
:root{color-scheme:light dark;--bg:#f6f7f9;--fg:#1b1f24;--card:#fff;--line:#c9ced6;--accent:#2457c5;--err:#b3261e}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--fg:#e6e8eb;--card:#1b1f24;--line:#3a414b;--accent:#7aa2ff;--err:#ff8a80}}
*{box-sizing:border-box}body{margin:0;min-height:100vh;display:grid;place-items:center;background:var(--bg);color:var(--fg);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{width:min(92vw,380px);background:var(--card);border:1px solid var(--line);border-radius:10px;padding:24px}
h1{font-size:1.3rem;margin:0 0 4px}p{margin:0 0 16px;opacity:.8}label{display:block;font-weight:600;margin-bottom:6px}
input{width:100%;padding:10px;border:1px solid var(--line);border-radius:6px;background:transparent;color:inherit;font:inherit}
button{margin-top:14px;width:100%;padding:10px;border:0;border-radius:6px;background:var(--accent);color:#fff;font:inherit;font-weight:600;cursor:pointer}
input:focus-visible,button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.error{color:var(--err);font-weight:600}`;

const MESSAGES = {
  none: '',
  wrong: 'That key was not accepted.',
  'no-key': 'No admin key is configured: the dashboard opens only from this machine (loopback).',
  expired: 'Your session ended. Log in again.',
} as const;

export type LoginMessage = keyof typeof MESSAGES;

export function loginPage(message: LoginMessage = 'none'): string {
  const text = MESSAGES[message];
  const error = text ? `<p class="error" role="alert" id="login-error">${text}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Tollgate — log in</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body><main><h1>Tollgate dashboard</h1><p>Log in with the gateway's admin key.</p>${error}
<form method="post" action="/dashboard/login">
<label for="key">Admin key</label>
<input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Log in</button>
</form></main></body></html>`;
}
