import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Builds the CLI bundle once before the tests, so that CLI tests run what `npx strongroom` runs. */
export default function setup(): void {
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
}
