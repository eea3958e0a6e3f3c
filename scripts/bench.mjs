#!/usr/bin/env node
// The benchmark: every speed, memory and size number Footnote is held to, measured on this
// machine and printed as one table, with the baselines run in the same process or browser
// page, and written to target/bench/results.json. Run it through scripts/bench, which builds
// and packages first. Pages are served from 127.0.0.1; every other request is blocked.
//
//   node scripts/bench.mjs [--runs N]      (N >= 5; default 7)

/* global PerformanceObserver -- used in functions that run in the page */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { CHROMIUM, ROOT, launchChromium, removeDir, tempDir, waitFor } from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const RUNS = Math.max(5, Number(args[args.indexOf('--runs') + 1]) || 7);
const OUT = join(ROOT, 'target', 'bench');
const EXTENSION = join(ROOT, 'dist', 'chrome');
const PAGE_DIRS = [join(ROOT, 'tests', 'fixtures', 'pages'), join(ROOT, 'tests', 'e2e', 'pages')];

const results = { machine: machine(), runs: RUNS };

// --- 1. The core, natively -----------------------------------------------------------------

console.log('Native core (cargo bench --bench core):');
execFileSync('cargo', ['bench', '--locked', '--bench', 'core'], {
  cwd: ROOT,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, FOOTNOTE_BENCH_OUT: OUT },
});
const native = JSON.parse(readFileSync(join(OUT, 'native.json'), 'utf8'));
// The `footnote` command, to check the marks on large pages against the core's findings.
execFileSync('cargo', ['build', '--release', '--locked', '--quiet', '--bin', 'footnote'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
results.native = native;
const newsText = readFileSync(join(OUT, 'text.txt'), 'utf8');
const aliases = JSON.parse(readFileSync(join(OUT, 'aliases.json'), 'utf8'));

// --- 2. The page the in-browser part runs in ------------------------------------------------

await esbuild.build({
  entryPoints: [join(ROOT, 'tests', 'bench', 'page.ts')],
  bundle: true,
  format: 'esm',
  target: ['chrome120'],
  outfile: join(OUT, 'page.js'),
  logLevel: 'warning',
});
const bigPage = generatedPage(newsText, 5_000_000);
const server = await serve({
  '/bench.html': ['text/html', '<!doctype html><meta charset="utf-8"><title>Footnote benchmark</title><script type="module" src="/page.js"></script>'],
  '/page.js': ['text/javascript', readFileSync(join(OUT, 'page.js'))],
  '/pkg/footnote_bg.wasm': ['application/wasm', readFileSync(join(ROOT, 'pkg', 'footnote_bg.wasm'))],
  '/big.html': ['text/html', bigPage],
});

const { chromium } = await import('playwright-core');
try {
  // --- 3. Core, baselines and pipeline in one plain page (no extension) ---------------------
  console.log('\nIn Chromium: the core, the RegExp baseline, compromise…');
  const plain = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const plainContext = await plain.newContext();
  await blockOutside(plainContext);
  const page = await plainContext.newPage();
  await page.goto(server.url('/bench.html'));
  await page.waitForFunction(() => typeof globalThis.footnoteBench === 'function');
  const comparePages = ['demo-article.html', 'guardian-1.html', 'nytimes-1.html', 'telegraph.html', 'herald-sun-1.html'];
  results.browser = await page.evaluate((input) => globalThis.footnoteBench(input), {
    text: newsText,
    aliases,
    pages: comparePages.map((name) => ({ name, html: readPage(name) })),
    runs: RUNS,
  });
  // The demo page without Footnote, for the content script's memory.
  const demoPlain = await plainContext.newPage();
  await demoPlain.goto(server.url('/pages/demo-article.html'));
  await demoPlain.waitForTimeout(500);
  const demoHeapWithout = await heapOf(plainContext, demoPlain);
  await plain.close();

  // --- 4. The extension: cold starts ---------------------------------------------------------
  // The browser stops an idle background and the next page's first message starts it again:
  // that is the cold start measured. The background first started with the browser (the
  // extension being installed); once its core is ready it is stopped, then the demo article
  // is opened, and its content script's first message starts the background.
  console.log('With the extension: cold starts…');
  const cold = [];
  for (let i = 0; i < RUNS; i++) {
    const profile = tempDir('bench');
    const ext = await launchChromium(EXTENSION, profile);
    try {
      await waitFor(async () => ((await diagnostics(ext)).readyAt !== null ? true : null), { message: 'the first core to start' });
      await stopBackground(ext);
      const tab = await ext.context.newPage();
      const url = server.url(`/pages/demo-article.html?cold=${i}`);
      await tab.goto(url);
      // Playwright does not see a restarted service worker; the page's state is asked for from
      // an extension page instead, once the page shows marks (the background is up by then).
      await tab.waitForFunction(() => CSS.highlights.size > 0, null, { timeout: 30000 });
      const probe = await ext.context.newPage();
      await probe.goto(`chrome-extension://${ext.extensionId}/extension/pages/popup.html`);
      const page = await pageWork({ ...ext, worker: probe }, url);
      await probe.close();
      const diag = await diagnostics(ext);
      if (diag.firstRequestAt === null) throw new Error('the restarted background answered no annotate request');
      cold.push({ ...diag, page });
    } finally {
      await ext.context.close();
      removeDir(profile);
    }
  }
  results.cold = cold;

  // --- 5. The extension, warm: demo page, large pages, changing pages, memory --------------
  const profile = tempDir('bench');
  const ext = await launchChromium(EXTENSION, profile);
  try {
    await ext.context.addInitScript(() => {
      // Long tasks of the page's main thread, whatever their cause.
      window.__longTasks = [];
      try {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
        }).observe({ type: 'longtask', buffered: true });
      } catch {
        // Not supported: no long tasks are reported.
      }
    });
    console.log('With the extension: the demo article…');
    const warmUp = await ext.context.newPage();
    await warmUp.goto(server.url('/pages/demo-article.html?warm'));
    await pageWork(ext, server.url('/pages/demo-article.html?warm'));
    // When each request reaches the background: a listener of the benchmark's own beside
    // Footnote's (it never answers), so that each message leg can be timed on one clock
    // (epoch milliseconds: the page's and the worker's time origins differ).
    await ext.worker.evaluate(() => {
      globalThis.__benchArrivals = [];
      (globalThis.browser ?? chrome).runtime.onMessage.addListener((message, sender) => {
        globalThis.__benchArrivals.push({ type: message?.type, url: sender?.url, at: performance.timeOrigin + performance.now() });
        return false;
      });
    });
    const demo = [];
    let demoTab = null;
    for (let i = 0; i < RUNS; i++) {
      const url = server.url(`/pages/demo-article.html?run=${i}`);
      const tab = await ext.context.newPage();
      await tab.goto(url);
      const work = await pageWork(ext, url);
      const origin = await tab.evaluate(() => performance.timeOrigin);
      const arrivals = await ext.worker.evaluate((u) => globalThis.__benchArrivals.filter((a) => a.url === u), url);
      const arrived = (type) => (arrivals.find((a) => a.type === type)?.at ?? NaN) - origin;
      demo.push({ ...work, settingsArrivedAt: arrived('page.settings'), textArrivedAt: arrived('annotate') });
      if (i < RUNS - 1) await tab.close();
      else demoTab = tab;
    }
    results.demo = demo;
    const demoHeapWith = await heapOf(ext.context, demoTab);
    results.memory = { contentScriptDemoBytes: demoHeapWith - demoHeapWithout, demoHeapWith, demoHeapWithout };
    results.memory.backgroundAfterDemo = await backgroundMemory(ext);

    console.log('With the extension: large pages…');
    results.large = {};
    for (const [name, path, runs] of [
      ['wikipedia-2', '/pages/wikipedia-2.html', RUNS],
      ['yahoo-2', '/pages/yahoo-2.html', RUNS],
      ['generated 5 MB', '/big.html', 3],
    ]) {
      const rows = [];
      for (let i = 0; i < runs; i++) {
        const url = server.url(`${path}?run=${i}`);
        const tab = await ext.context.newPage();
        await tab.goto(url, { timeout: 120000 });
        const work = await pageWork(ext, url, 120000);
        // The browser paints the last marks in the frames after them: long tasks until then count.
        await tab.waitForTimeout(500);
        const longTasks = await tab.evaluate(
          ({ from, to }) => window.__longTasks.filter((t) => t.start + t.duration >= from && t.start <= to),
          { from: work.readStart, to: work.allMarks + 500 },
        );
        if (i === 0) work.check = checkMarks(await tabState(ext, url), path);
        const walk = await tab.evaluate(treeWalkerPass);
        rows.push({ ...work, treeWalkerMs: walk, longTasks });
        await tab.close();
      }
      results.large[name] = rows;
    }
    results.memory.backgroundAfterLarge = await backgroundMemory(ext);

    console.log('With the extension: an endless feed and a single-page app…');
    const feedUrl = server.url('/pages/feed.html?rate=200&seconds=10');
    const feed = await ext.context.newPage();
    await feed.goto(feedUrl);
    await feed.waitForFunction(() => window.feed.done, null, { timeout: 60000 });
    const expected = await feed.evaluate(() => window.feed.expectedMarks);
    const feedState = await waitFor(async () => {
      const s = await tabState(ext, feedUrl);
      return s.annotations.length >= expected ? s : null;
    }, { timeout: 30000, message: 'the feed to be marked' });
    const bodyChars = await feed.evaluate(() => document.body.innerText.length);
    results.feed = {
      paragraphs: await feed.evaluate(() => window.feed.added),
      marks: feedState.annotations.length,
      expectedMarks: expected,
      latencies: feedState.work.changeLatencies,
      sentChars: feedState.work.sentChars,
      bodyChars,
      busyMs: feedState.work.busyMs,
      longestMs: feedState.work.longestMs,
    };
    await feed.close();

    const spaUrl = server.url('/pages/spa.html');
    const spa = await ext.context.newPage();
    await spa.goto(spaUrl);
    await pageWork(ext, spaUrl);
    const heapBefore = await heapOf(ext.context, spa);
    const navigations = 300;
    for (let i = 0; i < navigations; i++) {
      await spa.evaluate(() => window.spa.next());
      await spa.waitForTimeout(20);
    }
    const names = await spa.evaluate(() => window.spa.names);
    const spaState = await waitFor(async () => {
      const s = await tabState(ext, spaUrl);
      return s.annotations.length === names.length ? s : null;
    }, { message: 'the last story to be marked' });
    results.spa = {
      navigations,
      marks: spaState.work.marks,
      expectedMarks: names.length,
      heapBefore,
      heapAfter: await heapOf(ext.context, spa),
      latencies: spaState.work.changeLatencies,
    };
  } finally {
    await ext.context.close();
    removeDir(profile);
  }
} finally {
  await server.close();
}

// --- 6. Size --------------------------------------------------------------------------------

const wasm = readFileSync(join(EXTENSION, 'pkg', 'footnote_bg.wasm'));
const kb = newestKnowledgeBase();
results.size = {
  wasmBytes: wasm.length,
  wasmGzipBytes: gzipSync(wasm, { level: 9 }).length,
  dataBytes: kb.length,
  dataGzipBytes: gzipSync(kb, { level: 9 }).length,
};

writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
report(results);
// Speed is reported, not judged; wrong marks are an error.
if (Object.values(results.large).some((runs) => !runs[0].check.equal)) process.exitCode = 1;
console.log(`\nAll numbers: ${join('target', 'bench', 'results.json')}`);

// --- Measuring ------------------------------------------------------------------------------

/** Stops the extension's service worker, as the browser does when it has been idle. */
async function stopBackground(ext) {
  const page = await ext.context.newPage();
  const cdp = await ext.context.newCDPSession(page);
  try {
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    const running = async () => (await cdp.send('Target.getTargets')).targetInfos.some((t) => t.type === 'service_worker' && t.url.includes(ext.extensionId));
    await waitFor(async () => !(await running()), { timeout: 15000, message: 'the background to stop' });
  } finally {
    await cdp.detach();
    await page.close();
  }
}

async function tabState(ext, url) {
  const { chromiumTabRequest } = await import('../tests/e2e/harness.mjs');
  const reply = await chromiumTabRequest(ext.worker, url, 'page.state');
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

/** Waits until the content script on `url` has painted all its marks; returns its `work`. */
async function pageWork(ext, url, timeout = 30000) {
  const state = await waitFor(async () => {
    const s = await tabState(ext, url);
    return s.work.allMarks > 0 ? s : null;
  }, { timeout, interval: 100, message: `Footnote to finish ${url}` });
  return { ...state.work, annotations: state.annotations.length, changeLatencies: undefined };
}

/**
 * The marks on a large page against what the core finds in the same HTML (`footnote
 * annotate`, the categories a site shows by default): `text → entry` in reading order.
 */
function checkMarks(state, path) {
  const html = path === '/big.html' ? bigPage : readPage(path.slice('/pages/'.length));
  const file = join(OUT, 'check.html');
  writeFileSync(file, html);
  const bin = join(ROOT, 'target', 'release', 'footnote');
  const found = execFileSync(bin, ['annotate', '--categories=person,organisation,place,document,term', file], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .map((f) => `${f.text.replace(/\s+/g, ' ')} → ${f.entry}`);
  const marked = state.annotations.map((a) => `${a.text.replace(/\s+/g, ' ')} → ${a.entry}`);
  const first = found.findIndex((f, i) => f !== marked[i]);
  const equal = found.length === marked.length && first < 0;
  return { core: found.length, marked: marked.length, equal, firstDifference: equal ? null : { at: first, core: found[first] ?? null, marked: marked[first] ?? null } };
}

/** The background's start-up times, asked from an extension page. */
async function diagnostics(ext) {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/extension/pages/popup.html`);
  const reply = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'diagnostics' }));
  await page.close();
  if (!reply?.ok) throw new Error(`diagnostics: ${reply?.error}`);
  return reply.value;
}

/** JS heap of `page` after a full garbage collection (bytes). */
async function heapOf(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/**
 * The background's memory: its JS heap after a full garbage collection (read through the
 * DevTools protocol, attached to the service worker from a page session) and the WebAssembly
 * memory the core reports.
 */
async function backgroundMemory(ext) {
  const page = await ext.context.newPage();
  await page.goto('about:blank');
  const cdp = await ext.context.newCDPSession(page);
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.includes(ext.extensionId));
    if (sw === undefined) throw new Error('the background is not running');
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: sw.targetId, flatten: false });
    let id = 0;
    const call = (method) =>
      new Promise((resolve, reject) => {
        const mine = ++id;
        const listener = (e) => {
          const m = JSON.parse(e.message);
          if (m.id !== mine) return;
          cdp.off('Target.receivedMessageFromTarget', listener);
          if (m.error) reject(new Error(m.error.message));
          else resolve(m.result);
        };
        cdp.on('Target.receivedMessageFromTarget', listener);
        cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: mine, method }) }).catch(reject);
      });
    await call('HeapProfiler.collectGarbage');
    const heap = await call('Runtime.getHeapUsage');
    const diag = await diagnostics(ext);
    return { jsHeapBytes: heap.usedSize, wasmMemoryBytes: diag.wasmMemoryBytes, totalBytes: heap.usedSize + diag.wasmMemoryBytes };
  } finally {
    await cdp.detach();
    await page.close();
  }
}

/** Runs in the page: a filtered TreeWalker pass that only collects the text nodes (median ms). */
function treeWalkerPass() {
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA']);
  const times = [];
  let count = 0;
  for (let run = 0; run < 7; run++) {
    const t = performance.now();
    const nodes = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.nodeType === 1 && skip.has(n.tagName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) if (n.nodeType === 3) nodes.push(n);
    times.push(performance.now() - t);
    count = nodes.length;
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[3], textNodes: count };
}

// --- Serving --------------------------------------------------------------------------------

function readPage(name) {
  const file = PAGE_DIRS.map((d) => join(d, name)).find(existsSync);
  if (file === undefined) throw new Error(`no page ${name}`);
  return readFileSync(file, 'utf8');
}

async function serve(routes) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = routes[url.pathname];
    if (route !== undefined) {
      res.writeHead(200, { 'content-type': route[0], 'cache-control': 'no-store' });
      res.end(route[1]);
      return;
    }
    const name = url.pathname.startsWith('/pages/') ? url.pathname.slice('/pages/'.length) : '';
    if (/^[\w.-]+\.html$/.test(name)) {
      try {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(readPage(name));
        return;
      } catch {
        // Falls through to 404.
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: (path) => `http://127.0.0.1:${port}${path}`, close: () => new Promise((ok) => server.close(ok)) };
}

async function blockOutside(context) {
  await context.route(/^https?:/, (route) =>
    new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort('blockedbyclient'),
  );
}

/** A news-like page of about `bytes` bytes of text: the benchmark's blocks as paragraphs. */
function generatedPage(text, bytes) {
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const blocks = text.split('\0').filter((b) => b.trim().length > 0);
  const parts = ['<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A very long page</title></head><body><article>'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const b = blocks[i % blocks.length];
    // Every third paragraph puts its first word in a link, as real pages do.
    const cut = b.indexOf(' ');
    const html = i % 3 === 0 && cut > 0 ? `<a href="#p${i}">${esc(b.slice(0, cut))}</a>${esc(b.slice(cut))}` : esc(b);
    parts.push(`<p>${html}</p>`);
    size += Buffer.byteLength(b);
  }
  parts.push('</article></body></html>');
  return parts.join('\n');
}

function newestKnowledgeBase() {
  const dir = join(ROOT, 'target', 'wasm32-unknown-unknown', 'release', 'build');
  const files = readdirSync(dir)
    .filter((d) => d.startsWith('footnote-'))
    .map((d) => join(dir, d, 'out', 'kb.postcard'))
    .filter(existsSync)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (files.length === 0) throw new Error('no built knowledge base: run scripts/build.mjs first');
  return readFileSync(files[0]);
}

function machine() {
  let cpu = '';
  try {
    cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/)?.[1] ?? '';
  } catch {
    // Not Linux.
  }
  let browser = '';
  try {
    browser = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // Reported as unknown.
  }
  return { cpu, cores: (globalThis.navigator?.hardwareConcurrency ?? 0) || undefined, browser, node: process.version };
}

// --- Reporting --------------------------------------------------------------------------------

function report(r) {
  const rows = [];
  const stat = (values) => {
    const v = [...values].sort((a, b) => a - b);
    return { min: v[0], median: v[Math.floor(v.length / 2)], max: v[v.length - 1] };
  };
  const ms = (x) => (x === undefined ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(1));
  const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
  const add = (what, values, unit, target, note = '') => {
    const s = stat(values);
    rows.push([what, ms(s.min), ms(s.median), ms(s.max), unit, target, note]);
    return s;
  };
  const throughput = (bytes, times) => times.map((t) => bytes / 1e3 / t);

  const nativeJoined = add('Core, native (MB/s)', throughput(r.native.bytes, r.native.joinedMs), 'MB/s', '>= 500');
  add('Core, native, block by block (MB/s)', throughput(r.native.bytes, r.native.perBlockMs), 'MB/s', '');
  const wasm = add('Core, WebAssembly in Chromium (MB/s)', throughput(r.browser.core.bytes, r.browser.core.times), 'MB/s', '>= 150');
  const regexp = add('RegExp alternation, same aliases (MB/s)', throughput(r.browser.core.bytes, r.browser.regexp.times), 'MB/s', '');
  rows.push(['  core / RegExp', '', `${(wasm.median / regexp.median).toFixed(1)}x`, '', '', '>= 2x', `${r.browser.regexp.aliases} aliases`]);
  // Cold starts: a stopped background started by the demo article's first message. Times are
  // the background's own, from the worker's start.
  add('Background cold start: worker start to first reply (ms)', r.cold.map((c) => c.firstReplyAt), 'ms', '<= 50', 'first findings sent to the page');
  add('  worker start to script running (ms)', r.cold.map((c) => c.scriptAt), 'ms', '', 'the test driver attaches to each new worker here too');
  add('  script running to module compiled (ms)', r.cold.map((c) => c.compiledAt - c.startedAt), 'ms', '', 'fetch + compileStreaming');
  add('  compiled to core built (ms)', r.cold.map((c) => c.coreAt - c.compiledAt), 'ms', '', 'instantiate, read the knowledge base, build the matcher');
  add('  core built to ready (ms)', r.cold.map((c) => c.readyAt - c.coreAt), 'ms', '', 'entry table, first short text annotated');
  add('  worker start to core ready (ms)', r.cold.map((c) => c.readyAt), 'ms', '');
  add('  first request to reply (ms)', r.cold.map((c) => c.firstReplyAt - c.firstRequestAt), 'ms', '', 'request arrived before ready: ' + r.cold.filter((c) => c.firstRequestAt < c.readyAt).length + '/' + r.cold.length);
  add('Demo article, background stopped: script start to all marks (ms)', r.cold.map((c) => c.page.allMarks - c.page.scriptStart), 'ms', '');
  add('Module start in a page: fetch+compile / core (ms)', [r.browser.startup.fetchCompileMs], 'ms', '', `core ${ms(r.browser.startup.coreNewMs)} ms`);
  add('Demo article: script start to all marks (ms)', r.demo.map((d) => d.allMarks - d.scriptStart), 'ms', '<= 10');
  add('  script start to page read (ms)', r.demo.map((d) => d.read - d.scriptStart), 'ms', '', 'settings taken, text read');
  add('  page read to first reply (ms)', r.demo.map((d) => d.firstReply - d.read), 'ms', '', 'message to the background and back');
  add('  first reply to all marks (ms)', r.demo.map((d) => d.allMarks - d.firstReply), 'ms', '', 'marks placed and painted');
  add('  settings question: page to background (ms)', r.demo.map((d) => d.settingsArrivedAt - d.settingsAskedAt), 'ms', '', 'asked at document start');
  add('  settings answer: background to page (ms)', r.demo.map((d) => d.settingsAnsweredAt - d.settingsArrivedAt), 'ms', '', 'the handler included');
  add('  text: page read to background (ms)', r.demo.map((d) => d.textArrivedAt - d.read), 'ms', '');
  add('  findings: background to page (ms)', r.demo.map((d) => d.firstReply - d.textArrivedAt), 'ms', '', 'annotating included');
  add('Demo article: main-thread time (ms)', r.demo.map((d) => d.busyMs), 'ms', '');
  add('  settings asked (document start) to all marks (ms)', r.demo.map((d) => d.allMarks - d.settingsAskedAt), 'ms', '', 'includes the page loading');
  rows.push(['  settings there when the script started', '', `${r.demo.filter((d) => d.settingsAnsweredAt > 0 && d.settingsAnsweredAt <= d.scriptStart).length}/${r.demo.length}`, '', '', '', 'asked at document start']);
  for (const [name, runs] of Object.entries(r.large)) {
    add(`${name}: longest Footnote task (ms)`, runs.map((x) => x.longestMs), 'ms', '<= 50');
    const busy = add(`${name}: Footnote main-thread time (ms)`, runs.map((x) => x.busyMs), 'ms', '');
    const walk = stat(runs.map((x) => x.treeWalkerMs.medianMs));
    rows.push([`  / TreeWalker pass (${ms(walk.median)} ms)`, '', `${(busy.median / walk.median).toFixed(1)}x`, '', '', '<= 5x', `${runs[0].treeWalkerMs.textNodes} text nodes`]);
    add(`${name}: script start to first marks (ms)`, runs.map((x) => x.firstMarks - x.scriptStart), 'ms', '', 'the first batch painted');
    add(`${name}: script start to all marks (ms)`, runs.map((x) => x.allMarks - x.scriptStart), 'ms', '', `${runs[0].annotations} marks, ${runs[0].painted} painted`);
    const check = runs[0].check;
    rows.push([`  marks equal the core's (footnote annotate)`, '', check.equal ? 'yes' : 'NO', '', '', 'yes', `${check.marked} marked, ${check.core} found${check.equal ? '' : `; first difference at ${check.firstDifference.at}: ${check.firstDifference.marked} / ${check.firstDifference.core}`}`]);
    const longTasks = runs.flatMap((x) => x.longTasks.map((t) => t.duration));
    rows.push([`  page long tasks meanwhile (any cause)`, '', String(longTasks.length), '', '', '', longTasks.length ? `longest ${ms(Math.max(...longTasks))} ms` : '']);
  }
  if (r.feed.latencies.length > 0) {
    add('Endless feed: change to marks (ms)', r.feed.latencies, 'ms', '<= 100', `${r.feed.paragraphs} paragraphs, ${r.feed.marks}/${r.feed.expectedMarks} marks`);
  }
  rows.push(['  text sent / text on page', '', (r.feed.sentChars / r.feed.bodyChars).toFixed(2), '', '', '~1', 'unchanged text is not sent again']);
  if (r.spa.latencies.length > 0) add('Single-page app: change to marks (ms)', r.spa.latencies, 'ms', '<= 100', `${r.spa.navigations} navigations`);
  rows.push(['  marks left / heap growth', '', `${r.spa.marks}/${r.spa.expectedMarks}`, '', '', '', `heap ${mb(r.spa.heapBefore)} -> ${mb(r.spa.heapAfter)}`]);
  rows.push(['Memory: background, demo (JS heap + WebAssembly)', '', mb(r.memory.backgroundAfterDemo.totalBytes), '', '', '<= 30 MB', `heap ${mb(r.memory.backgroundAfterDemo.jsHeapBytes)}, wasm ${mb(r.memory.backgroundAfterDemo.wasmMemoryBytes)}`]);
  rows.push(['Memory: background, after large pages', '', mb(r.memory.backgroundAfterLarge.totalBytes), '', '', '', `wasm ${mb(r.memory.backgroundAfterLarge.wasmMemoryBytes)}`]);
  rows.push(['Memory: content script on the demo article', '', mb(r.memory.contentScriptDemoBytes), '', '', '<= 5 MB', 'page heap with minus without']);
  const s = r.size;
  rows.push(['Size: .wasm gzip', '', `${(s.wasmGzipBytes / 1024).toFixed(0)} KB`, '', '', '<= 400 KB', `data ${(s.dataGzipBytes / 1024).toFixed(0)} KB, code ${((s.wasmGzipBytes - s.dataGzipBytes) / 1024).toFixed(0)} KB (gzip, approx.)`]);
  for (const p of r.browser.pages) {
    const ours = stat(p.ours);
    const theirs = stat(p.compromise);
    rows.push([`${p.name}: pipeline vs compromise (ms)`, '', `${ms(ours.median)} / ${ms(theirs.median)}`, '', '', '>= 50x', `${(theirs.median / ours.median).toFixed(0)}x; ${p.marks} marks, ${p.compromiseNames} names`]);
  }
  void nativeJoined;

  const header = ['measure', 'min', 'median', 'max', 'unit', 'target', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (row) => row.map((c, i) => (i >= 1 && i <= 3 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
  console.log(`\nFootnote benchmark — ${r.machine.cpu || 'unknown CPU'}; ${r.machine.browser}; medians of ${r.runs} runs\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}
