#!/usr/bin/env node
// Builds everything the extension loads, so that the repository root loads as an unpacked
// extension afterwards:
//   1. the Rust core as WebAssembly (cargo, release profile)
//   2. its JavaScript glue in pkg/ (wasm-bindgen --target web, at exactly the crate's version)
//   3. a smaller .wasm (wasm-opt -Oz from npm's binaryen; skipped with a note if missing)
//   4. the extension's scripts in extension/build/ (esbuild, one file per entry point)
// Usage: node scripts/build.mjs [--skip-wasm]

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const skipWasm = process.argv.includes('--skip-wasm');

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

/** The wasm-bindgen version Cargo.lock resolved; the CLI must be exactly the same. */
function lockedWasmBindgen() {
  const lock = readFileSync(join(root, 'Cargo.lock'), 'utf8');
  const m = lock.match(/\[\[package\]\]\nname = "wasm-bindgen"\nversion = "([^"]+)"/);
  if (!m) throw new Error('Cargo.lock has no wasm-bindgen package');
  return m[1];
}

function checkWasmBindgenCli(wanted) {
  let out;
  try {
    out = execFileSync('wasm-bindgen', ['--version'], { encoding: 'utf8' });
  } catch {
    throw new Error(
      `the wasm-bindgen CLI is not installed; run scripts/setup (or: cargo install wasm-bindgen-cli --version ${wanted})`,
    );
  }
  const have = out.trim().split(/\s+/)[1];
  if (have !== wanted) {
    throw new Error(
      `wasm-bindgen CLI ${have} does not match the crate's ${wanted} (Cargo.lock); ` +
        `run: cargo install --force wasm-bindgen-cli --version ${wanted}`,
    );
  }
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function buildWasm() {
  checkWasmBindgenCli(lockedWasmBindgen());
  run('cargo', [
    'build', '--locked', '--lib', '--release', '--target', 'wasm32-unknown-unknown',
    '--config', 'profile.release.panic="abort"',
  ]);
  rmSync(join(root, 'pkg'), { recursive: true, force: true });
  run('wasm-bindgen', [
    '--target', 'web',
    '--out-dir', 'pkg',
    '--out-name', 'footnote',
    // Lets the background rebuild the module after a trap instead of staying broken.
    '--experimental-reset-state-function',
    'target/wasm32-unknown-unknown/release/footnote.wasm',
  ]);
  const wasm = join(root, 'pkg', 'footnote_bg.wasm');
  const before = statSync(wasm).size;
  const wasmOpt = join(root, 'node_modules', '.bin', 'wasm-opt');
  if (existsSync(wasmOpt)) {
    // rustc and wasm-bindgen emit these post-MVP features; wasm-opt must be told to keep them.
    // `-ocimfs 50`: a function with one caller is merged into it only when small. By default
    // wasm-opt merges them all, which made the start-up code (reading the knowledge base,
    // building the matcher) a few functions of 20-60 KB; the browser compiles a function again
    // with its optimising tier once it has run long enough, and those few took it 300-500 ms
    // of processor time on every cold start, for code that runs once. Kept apart, the
    // optimising tier gets small functions, start-up in a fresh page fell from about 270 to
    // 190 ms, and annotating ran faster too (about 30 to 25 ms for 1.8 MB in Node).
    run(wasmOpt, [
      '-Oz', '-ocimfs', '50', '--enable-bulk-memory', '--enable-reference-types', '--enable-nontrapping-float-to-int',
      '--enable-sign-ext', '--enable-mutable-globals', '--enable-multivalue',
      '-o', wasm, wasm,
    ]);
  } else {
    console.log('NOTE: wasm-opt (npm binaryen) is missing; the .wasm is not size-optimised. Run npm ci.');
  }
  const after = statSync(wasm).size;
  console.log(`pkg/footnote_bg.wasm: ${kb(before)} -> ${kb(after)} (${kb(gzipSync(readFileSync(wasm), { level: 9 }).length)} gzip)`);
}

async function buildScripts() {
  const common = {
    bundle: true,
    target: ['chrome120', 'firefox142'],
    legalComments: 'none',
    logLevel: 'warning',
    charset: 'utf8',
  };
  const out = (name) => join(root, 'extension', 'build', name);
  await Promise.all([
    // The background is an ES module (service worker on Chromium, module script on Firefox).
    esbuild.build({ ...common, entryPoints: [join(root, 'extension/src/background/main.ts')], format: 'esm', outfile: out('background.js') }),
    // Content scripts cannot be modules: classic scripts. The early one (document start) only
    // asks for the page's settings; the main one (document idle) does the rest.
    esbuild.build({ ...common, entryPoints: [join(root, 'extension/src/content/early.ts')], format: 'iife', outfile: out('early.js') }),
    esbuild.build({ ...common, entryPoints: [join(root, 'extension/src/content/main.ts')], format: 'iife', outfile: out('content.js') }),
    esbuild.build({ ...common, entryPoints: [join(root, 'extension/src/popup/main.ts')], format: 'iife', outfile: out('popup.js') }),
    esbuild.build({ ...common, entryPoints: [join(root, 'extension/src/options/main.ts')], format: 'iife', outfile: out('options.js') }),
  ]);
  for (const name of ['background.js', 'early.js', 'content.js', 'popup.js', 'options.js']) {
    console.log(`extension/build/${name}: ${kb(statSync(out(name)).size)}`);
  }
}

try {
  if (!skipWasm) buildWasm();
  if (!existsSync(join(root, 'pkg', 'footnote.js'))) throw new Error('pkg/ is missing: build without --skip-wasm first');
  await buildScripts();
  console.log('Built. The repository root now loads as an unpacked extension.');
} catch (error) {
  console.error(`build failed: ${error.message}`);
  process.exit(1);
}
