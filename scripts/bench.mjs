// npm run bench: bundles test/bench the way the CLI ships (the code measured
// is the code that runs), and the CLI whose start it times, then runs it with
// this script's arguments.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildCli, bundleForNode, root } from './bundle.mjs';

const outfile = join('out', 'bench', 'index.cjs');
await bundleForNode('test/bench/index.ts', outfile);
await buildCli();
const run = spawnSync(process.execPath, [join(root, outfile), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exitCode = run.status ?? 1;
