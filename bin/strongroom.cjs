#!/usr/bin/env node
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { runWithCodeCache } = require('./codeCache.cjs');

const bundle = join(__dirname, '..', 'out', 'cli', 'strongroom.cjs');
if (!existsSync(bundle)) {
  process.stderr.write('strongroom: the CLI is not built yet. Run "npm ci" or "npm run build" in the Strongroom checkout.\n');
  process.exit(255);
}
runWithCodeCache(bundle);
