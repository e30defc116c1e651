// Builds the dashboard (dashboard/ → dist/dashboard/), served by the gateway at /dashboard/.
// Everything is bundled: the page makes no request outside the gateway's own origin.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/dashboard/',
  plugins: [preact()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/dashboard/', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // ECharts alone is several hundred kB before gzip; the warning is about raw size.
    chunkSizeWarningLimit: 1200,
    modulePreload: { polyfill: false },
  },
});
