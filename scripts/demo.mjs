#!/usr/bin/env node
// The main job, end to end: opens the demo article (tests/fixtures/pages/demo-article.html,
// served from 127.0.0.1) in headless Chromium with the extension loaded from the repository
// root and every category switched on for the site (framing & sourcing and other names are
// off by default),
// prints every annotation, hovers "Mount Hermon" and writes a screenshot with its tooltip
// open, then one of the article's spliced quotation checked against the joint statement.
// Run it through scripts/demo, which builds first.

import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  ROOT,
  boxOfHighlightInPage,
  chromiumTabRequest,
  launchChromium,
  removeDir,
  startServer,
  tempDir,
  waitFor,
} from '../tests/e2e/harness.mjs';

const outDir = join(ROOT, 'out');
const screenshot = join(outDir, 'demo-tooltip.png');
const quoteShot = join(outDir, 'demo-quotation.png');

const server = await startServer();
const profile = tempDir('demo');
const { context, worker } = await launchChromium(ROOT, profile);
try {
  // Switch every category on for the demo's site, as a reader would in the popup.
  const extensionPage = await context.newPage();
  await extensionPage.goto(new URL('/extension/pages/popup.html', worker.url()).href);
  const site = new URL(server.url('demo-article.html')).hostname;
  const set = await extensionPage.evaluate(
    (site) => chrome.runtime.sendMessage({ type: 'settings.site.set', site, patch: { categories: { framing: true, names: true } } }),
    site,
  );
  if (!set?.ok) throw new Error(`could not switch every category on: ${set?.error}`);
  await extensionPage.close();
  const page = await context.newPage();
  const url = server.url('demo-article.html');
  await page.goto(url);
  await waitFor(
    async () => {
      const reply = await chromiumTabRequest(worker, url, 'page.state');
      return reply?.ok && reply.value.annotations.length > 0 ? reply.value : null;
    },
    { message: 'annotations on the demo article' },
  );
  // Let late batches land, then read the final state.
  await page.waitForTimeout(300);
  const final = (await chromiumTabRequest(worker, url, 'page.state')).value;

  console.log(`\nAnnotations on ${url} (${final.annotations.length}):\n`);
  // Long quotations are shortened to keep the table readable.
  const shown = (text) => ([...text].length > 48 ? `${[...text].slice(0, 47).join('')}…` : text);
  const width = Math.max(...final.annotations.map((a) => [...shown(a.text)].length));
  for (const a of final.annotations) {
    console.log(`  ${shown(a.text).padEnd(width)}  ${a.category.padEnd(12)}  ${a.entry}`);
  }
  const byCategory = {};
  for (const a of final.annotations) byCategory[a.category] = (byCategory[a.category] ?? 0) + 1;
  console.log(`\n  by category: ${Object.entries(byCategory).map(([c, n]) => `${c} ${n}`).join(', ')}`);

  const box = await page.evaluate(boxOfHighlightInPage, { name: 'footnote-place', text: 'Mount Hermon', nth: 1, at: 0.2 });
  if (box === null) throw new Error('"Mount Hermon" is not marked');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tooltip = await waitFor(
    async () => {
      const reply = await chromiumTabRequest(worker, url, 'page.state');
      return reply?.value?.tooltip?.entry === 'mount-hermon' ? reply.value.tooltip : null;
    },
    { message: 'the Mount Hermon tooltip' },
  );
  await page.waitForTimeout(150);
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: screenshot });
  console.log(`\nTooltip of "Mount Hermon": ${tooltip.links.length} source links, first: ${tooltip.links[0]?.href}`);
  console.log(`Screenshot: ${relative(process.cwd(), screenshot) || screenshot}`);

  // The spliced quotation: how it compares with the statement.
  const spliced = final.annotations.find((a) => a.entry.startsWith('quote:') && a.text.includes('…'));
  if (spliced !== undefined) {
    await page.mouse.move(5, 5);
    await waitFor(async () => (await chromiumTabRequest(worker, url, 'page.state'))?.value?.tooltip === null, {
      message: 'the tooltip to close',
    });
    const q = await page.evaluate(boxOfHighlightInPage, { name: 'footnote-framing', text: spliced.text, nth: 0, at: 0.2 });
    if (q !== null) {
      await page.mouse.move(q.x + 20, q.y + q.height / 2);
      const qt = await waitFor(
        async () => {
          const reply = await chromiumTabRequest(worker, url, 'page.state');
          return reply?.value?.tooltip?.entry === spliced.entry ? reply.value.tooltip : null;
        },
        { message: 'the quotation tooltip' },
      );
      await page.waitForTimeout(150);
      await page.screenshot({ path: quoteShot });
      const verdict = /(Verbatim|Shortened|Joined|Partly found|Not found):[^.]*\./.exec(qt.text)?.[0] ?? '(no verdict)';
      console.log(`\nQuotation "${spliced.text.slice(0, 48)}…": ${verdict}`);
      console.log(`Screenshot: ${relative(process.cwd(), quoteShot) || quoteShot}`);
    }
  }
} finally {
  await context.close();
  await server.close();
  removeDir(profile);
}

console.log(`
Load Footnote in your browser (the repository root is the extension):
  Chrome / Chromium 120+: open chrome://extensions, switch on Developer mode, click
    "Load unpacked" and choose this folder: ${ROOT}
  Firefox 142+: open about:debugging#/runtime/this-firefox, click "Load Temporary Add-on…"
    and choose ${join(ROOT, 'manifest.json')}
Store-ready packages: node scripts/package.mjs (writes dist/).`);
