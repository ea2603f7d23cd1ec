// Bundles the CLI into out/cli/strongroom.cjs so that `npx strongroom` starts fast.
// Runs on `npm ci` (prepare) and before the tests.
import { buildCli } from './bundle.mjs';

await buildCli();
