// The import-cycle rule of `npm run lint`. Type-only imports count: a cycle
// through types still ties the modules' designs together, and ESLint's cycle
// rules skip them.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module must not reach itself through what it imports: move what both sides need into a module of its own, below both.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|out|test-results|playwright-report)/' },
  },
};
