/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { routePreloads } from './scripts/route-preloads';
import { BOOT_GETS_ALWAYS, BOOT_GETS_BY_ROUTE } from './src/bootGets';

// The SPA talks only to the Resee API, same origin under /api/.
// In development Vite proxies /api to the API started with `make run` (port 8000).
const API_TARGET = process.env.RESEE_API_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  // routePreloads: index.html gets the table public/boot.js uses to load the first page's code
  // and data early.
  plugins: [
    react(),
    routePreloads(new URL('./src/routes.tsx', import.meta.url), {
      always: BOOT_GETS_ALWAYS,
      byRoute: BOOT_GETS_BY_ROUTE,
    }),
  ],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: API_TARGET, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: API_TARGET, changeOrigin: false },
    },
  },
  build: {
    // dist/.vite/manifest.json is read by scripts/size-report.mjs.
    manifest: true,
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.{ts,mjs}'],
    restoreMocks: true,
    css: false,
  },
});
