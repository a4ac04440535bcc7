import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

/**
 * The page's CSP forbids inline scripts; Vite's dev server (hot reload) needs one, so the dev
 * server alone relaxes it. Built files keep the strict policy.
 */
function devCsp(): Plugin {
  return {
    name: 'deskmate-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*"),
  };
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The app, and the two Node hosts (`npm run serve`, `npm run cli`) built beside it as plain
        // JavaScript, so neither needs a TypeScript loader at run time. Only the app's own chunk
        // imports electron; test/built-hosts.test.ts fails if a Node host's files do.
        input: {
          index: resolve('src/main/app/index.ts'),
          serve: resolve('src/main/web/index.ts'),
          cli: resolve('src/main/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': everything else (zod, the contract) is
      // bundled into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react(), devCsp()],
  },
});
