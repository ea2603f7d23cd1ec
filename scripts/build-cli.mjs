// Bundles the CLI into out/cli/strongroom.cjs so that `npx strongroom` starts fast.
// Runs on `npm ci` (prepare) and before the tests.
import { copyFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

await build({
  entryPoints: [join(root, 'src-main', 'cli', 'main.ts')],
  outfile: join(root, 'out', 'cli', 'strongroom.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['pkcs11js', 'better-sqlite3'],
  define: { STRONGROOM_VERSION: JSON.stringify(version) },
  sourcemap: 'linked',
  logLevel: 'warning',
});
// The audit log's writer thread runs from its own file, next to the bundle.
copyFileSync(join(root, 'src-main', 'audit', 'auditWriter.cjs'), join(root, 'out', 'cli', 'auditWriter.cjs'));
