// Bundles a Node entry point as the CLI ships: one minified CommonJS file,
// native addons left in node_modules, and the audit log's writer thread beside it.
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Loaded from node_modules at run time, not bundled: pkcs11js, @node-rs/argon2
 * (a native addon), the package better-sqlite3 would find its addon with, and
 * pdfkit (which reads its fonts' metrics from its own folder, and is loaded
 * only to write a transcript). better-sqlite3's own
 * JavaScript is bundled, to be compiled once into the code cache with the
 * rest; vault/db.ts hands it its addon by path.
 */
const EXTERNAL = ['pkcs11js', 'bindings', '@node-rs/argon2', 'pdfkit'];

/**
 * `import * as pkcs11js from 'pkcs11js'` of a CommonJS module makes esbuild
 * copy each of its 658 exports onto a new object behind a getter, once per
 * importing file (about 12 ms at every start). This plugin gives such an
 * import a small ES module instead that names each export, so the bundle
 * keeps only the ones it uses, as plain constants.
 */
const namedExports = (name) => ({
  name: `named-exports:${name}`,
  setup(build) {
    build.onResolve({ filter: new RegExp(`^${name}$`) }, ({ namespace }) => (namespace === 'named-exports' ? { path: name, external: true } : { path: name, namespace: 'named-exports' }));
    build.onLoad({ filter: /.*/, namespace: 'named-exports' }, () => {
      const names = Object.keys(createRequire(join(root, 'package.json'))(name)).filter((key) => /^[A-Za-z_$][\w$]*$/.test(key));
      return { contents: `const m = require(${JSON.stringify(name)});\n${names.map((key) => `export const ${key} = m.${key};`).join('\n')}\n`, loader: 'js' };
    });
  },
});

/** Bundles the CLI into out/cli/strongroom.cjs, which bin/strongroom.cjs runs; its code cache is made again by the next run. */
export async function buildCli() {
  await bundleForNode('src-main/cli/main.ts', 'out/cli/strongroom.cjs');
  await bundleForNode('src-main/files/fileWorker.ts', 'out/cli/fileWorker.js'); // the thread the interface's batches of files run on
  rmSync(join(root, 'out', 'cli', 'strongroom.cjs.cache'), { force: true });
}

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
    external: EXTERNAL,
    plugins: [namedExports('pkcs11js')],
    define: { STRONGROOM_VERSION: JSON.stringify(version) },
    minify: true, // less to read and compile at every start; the source map names the original lines
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'src-main', 'audit', 'auditWriter.cjs'), join(root, dirname(outfile), 'auditWriter.cjs'));
}
