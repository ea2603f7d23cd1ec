import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  main: {
    plugins: [
      {
        // The audit log's writer thread runs from its own file, next to the main bundle.
        name: 'strongroom-audit-writer',
        generateBundle() {
          this.emitFile({ type: 'asset', fileName: 'auditWriter.cjs', source: readFileSync(resolve(__dirname, 'src-main/audit/auditWriter.cjs')) });
        },
      },
    ],
    build: {
      rolldownOptions: { input: { index: resolve(__dirname, 'src-main/index.ts'), fileWorker: resolve(__dirname, 'src-main/files/fileWorker.ts') } },
    },
  },
  preload: {
    build: {
      rolldownOptions: { input: { index: resolve(__dirname, 'src-preload/index.ts') }, output: { format: 'cjs' } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [svelte()],
    build: {
      rolldownOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
