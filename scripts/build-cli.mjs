// Bundles the CLI into out/cli/strongroom.cjs so that `npx strongroom` starts fast.
// Runs on `npm ci` (prepare) and before the tests.
import { bundleForNode } from './bundle.mjs';

await bundleForNode('src-main/cli/main.ts', 'out/cli/strongroom.cjs');
