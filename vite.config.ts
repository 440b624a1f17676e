// The renderer is one static bundle: the Electron window loads it from the app's files and the
// browser transport serves the same files, so paths stay relative (base './').
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Electron 41 and a current Chromium are the only targets; no legacy transforms needed.
    target: 'chrome120',
    sourcemap: true,
  },
  server: { port: 5173, strictPort: true },
});
