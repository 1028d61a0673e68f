import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [swc.vite()],
  resolve: {
    // graphql 16 ships index.js and index.mjs without an exports map: force one copy (STACK.md trap 3).
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
    extensions: ['.js', '.mjs', '.ts', '.json'],
  },
  test: {
    setupFiles: ['reflect-metadata'],
    globalSetup: ['test/support/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
