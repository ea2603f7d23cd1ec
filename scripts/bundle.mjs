// Bundles a Node entry point as the CLI ships: one CommonJS file, native
// modules left outside, and the audit log's writer thread beside it.
import { copyFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles `entry` (relative to the repository) into `outfile` and copies the writer thread next to it. */
export async function bundleForNode(entry, outfile) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  await build({
    entryPoints: [join(root, entry)],
    outfile: join(root, outfile),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['pkcs11js', 'better-sqlite3'],
    define: { STRONGROOM_VERSION: JSON.stringify(version) },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'src-main', 'audit', 'auditWriter.cjs'), join(root, dirname(outfile), 'auditWriter.cjs'));
}
