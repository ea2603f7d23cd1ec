// Lint: typescript-eslint strictTypeChecked everywhere, plus the layering rules
// of docs/architecture.md: imports only go down.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'fs/promises', 'http', 'https', 'net', 'os', 'path', 'process', 'stream', 'timers', 'url', 'util', 'worker_threads', 'zlib'];

/** no-restricted-imports with the given forbidden patterns (or a regex on the import path) and a reason. */
function forbid(patterns, message, regex) {
  const rules = [{ group: patterns, message }];
  if (regex) rules.push({ regex, message });
  return { 'no-restricted-imports': ['error', { patterns: rules }] };
}

/** Relative imports of a sibling folder of src-main, from any depth below it. */
const mainFolder = (names) => `^(\\.\\./)+(${names.join('|')})(/|$)`;

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'src-shared/kms/shapes.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...svelte.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.svelte'] } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Components: <script lang="ts"> is type-checked like any other TypeScript, in the renderer's own program.
    files: ['src-renderer/**/*.svelte', 'src-renderer/**/*.svelte.ts'],
    languageOptions: { globals: globals.browser, parserOptions: { parser: tseslint.parser, projectService: false, project: './tsconfig.renderer.json' } },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false }, globals: { process: 'readonly', console: 'readonly', require: 'readonly', __dirname: 'readonly', module: 'writable', Buffer: 'readonly' } },
  },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      ...forbid(['node:*', ...NODE_BUILTINS, 'electron', 'pkcs11js', 'better-sqlite3', '**/src-main/**', '**/src-renderer/**', '**/src-preload/**'], 'src-shared is pure TypeScript: no Node, Electron, DOM or other layers.'),
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'Buffer', 'process', 'require'],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,svelte}', 'src-preload/**/*.ts'],
    rules: forbid(['**/src-main/**', 'pkcs11js', 'better-sqlite3', 'node:*'], 'The renderer and preload reach the core only through the typed channel map in src-shared.'),
  },
  {
    // Screens and components get Results from state modules (src-renderer/src/state), which alone make calls.
    files: ['src-renderer/src/{routes,components}/**/*.svelte', 'src-renderer/src/App.svelte'],
    rules: forbid(['**/src-main/**', 'pkcs11js', 'better-sqlite3', 'node:*', '**/lib/api', '**/lib/api.ts'], 'Screens and components make no calls: a state module (src-renderer/src/state) makes them and returns a Result.'),
  },
  {
    files: ['src-main/{hsm,vault,crypto,policy,audit,envelope,x509,recovery,backup,transcripts}/**/*.ts'],
    rules: forbid(['electron'], 'Imports only go down: core modules do not import the KMS layer, the doors or Electron.', mainFolder(['kms', 'cli', 'ipc', 'host', 'bootstrap', 'index'])),
  },
  {
    files: ['src-main/files/**/*.ts'],
    rules: forbid(['electron'], 'Imports only go down: file work (what the command line and the interface share) does not import the KMS layer, the doors or Electron.', mainFolder(['kms', 'cli', 'ipc', 'host', 'bootstrap', 'index'])),
  },
  {
    files: ['src-main/kms/**/*.ts'],
    rules: forbid(['electron'], 'Imports only go down: the KMS layer does not import the doors or Electron.', mainFolder(['cli', 'ipc', 'host', 'bootstrap', 'index'])),
  },
);
