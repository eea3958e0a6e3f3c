#!/usr/bin/env node
// Writes store-ready packages from the built extension: dist/chrome/ and dist/firefox/ (each
// with only the files the extension needs and its browser's manifest) and
// dist/footnote-<browser>-<version>.zip. Fails if a needed file is missing (run the build first).
// Zips are reproducible: fixed timestamps, files in a fixed order.

import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** Everything the extension loads; nothing else ships. */
const FILES = [
  'extension/build/background.js',
  'extension/build/early.js',
  'extension/build/content.js',
  'extension/build/popup.js',
  'extension/build/options.js',
  'extension/pages/popup.html',
  'extension/pages/popup.css',
  'extension/pages/options.html',
  'extension/pages/options.css',
  'extension/content.css',
  'extension/icons/icon-16.png',
  'extension/icons/icon-32.png',
  'extension/icons/icon-48.png',
  'extension/icons/icon-128.png',
  'pkg/footnote_bg.wasm',
];
const LOCALES = '_locales';

/** The root manifest serves both browsers unpacked; each store gets only its own keys. */
function manifestFor(browser, manifest) {
  const m = structuredClone(manifest);
  if (browser === 'chrome') {
    m.background = { service_worker: m.background.service_worker, type: 'module' };
    delete m.browser_specific_settings;
  } else {
    m.background = { scripts: m.background.scripts, type: 'module' };
    delete m.minimum_chrome_version;
  }
  return m;
}

function filesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** A minimal zip writer (deflate), enough for extension packages. */
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  // 1980-01-01 00:00, the earliest DOS date: the same bytes on every build.
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
const missing = FILES.filter((f) => !existsSync(join(root, f)));
if (missing.length > 0) {
  console.error(`package: missing ${missing.join(', ')}; run node scripts/build.mjs first`);
  process.exit(1);
}
const files = [...FILES, ...filesUnder(join(root, LOCALES)).map((p) => relative(root, p))].sort();

for (const browser of ['chrome', 'firefox']) {
  const dir = join(dist, browser);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const entries = [{ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifestFor(browser, manifest), null, 2)}\n`) }];
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(root, f), join(dir, f));
    entries.push({ name: f, data: readFileSync(join(root, f)) });
  }
  writeFileSync(join(dir, 'manifest.json'), entries[0].data);
  const zipPath = join(dist, `footnote-${browser}-${manifest.version}.zip`);
  const bytes = zip(entries);
  writeFileSync(zipPath, bytes);
  console.log(`${relative(root, zipPath)}: ${entries.length} files, ${(bytes.length / 1024).toFixed(1)} KB`);
}
