#!/usr/bin/env node
// The main job, end to end: opens the demo article (tests/fixtures/pages/demo-article.html,
// served from 127.0.0.1) in headless Chromium with the extension loaded from the repository
// root, prints every annotation, hovers "Mount Hermon" and writes a screenshot with its
// tooltip open. Run it through scripts/demo, which builds first.

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

const server = await startServer();
const profile = tempDir('demo');
const { context, worker } = await launchChromium(ROOT, profile);
try {
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
  const width = Math.max(...final.annotations.map((a) => [...a.text].length));
  for (const a of final.annotations) {
    console.log(`  ${a.text.padEnd(width)}  ${a.category.padEnd(12)}  ${a.entry}`);
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
