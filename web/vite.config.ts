import { defineConfig } from 'vite';

// `npm run dev` serves the app with hot reload and forwards /api to a running
// `chamado serve` (CHAMADO_URL, default http://127.0.0.1:8080).
const backend = process.env.CHAMADO_URL || 'http://127.0.0.1:8080';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // The server's CSP allows scripts from 'self' only: no inline module preload polyfill.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    // The main chunk carries every locale (five languages of each feature's sentences).
    chunkSizeWarningLimit: 420,
  },
  server: {
    proxy: { '/api': { target: backend, changeOrigin: false } },
  },
  logLevel: 'warn',
});
