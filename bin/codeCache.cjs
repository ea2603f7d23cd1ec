'use strict';
// Runs a CommonJS bundle as require() would, with V8's code cache kept beside
// it: a start then skips compiling the functions earlier runs compiled. The
// cache is code, so it lives only where the bundle does (never in a shared
// temporary directory) and is used only with the exact bundle it was made
// from (V8 itself checks no more than the source's length).
const { createHash } = require('node:crypto');
const { readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');
const vm = require('node:vm');

const DIGEST_BYTES = 32;

/** The code cache in `cacheFile`, if it was made from the source whose SHA-256 is `digest`. */
function cachedDataFor(cacheFile, digest) {
  try {
    const file = readFileSync(cacheFile);
    return file.subarray(0, DIGEST_BYTES).equals(digest) ? file.subarray(DIGEST_BYTES) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the cache of `script` with `digest` in front, whole or not at all; a read-only install just goes without. */
function saveCache(script, digest, cacheFile) {
  const temporary = `${cacheFile}.${String(process.pid)}`;
  try {
    writeFileSync(temporary, Buffer.concat([digest, script.createCachedData()]), { mode: 0o644 });
    renameSync(temporary, cacheFile);
  } catch {
    rmSync(temporary, { force: true });
  }
}

/**
 * Runs the CommonJS file `file` as the main module, using and refreshing
 * `${file}.cache`. The cache is written once the process is about to exit,
 * so that it holds what this run compiled, and only when there was none
 * for this bundle or V8 refused it.
 */
function runWithCodeCache(file) {
  const source = readFileSync(file, 'utf8');
  const digest = createHash('sha256').update(source).digest();
  const cacheFile = `${file}.cache`;
  const cachedData = cachedDataFor(cacheFile, digest);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once('exit', () => {
      saveCache(script, digest, cacheFile);
    });
  }
  const bundle = { exports: {}, filename: file };
  const run = script.runInThisContext();
  run.call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, dirname(file));
}

module.exports = { runWithCodeCache };
