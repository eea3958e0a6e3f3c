// The background's request handling (handlers.ts, core.ts, rpc.ts's answer) with the real
// WebAssembly core, under Node (fake-extension.ts): who may ask what, and what malformed and
// oversized requests get.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { EXTENSION_ID, contentScript, extensionPage, installFakeExtension } from './fake-extension';

type Sender = chrome.runtime.MessageSender;
const otherExtension: Sender = { id: 'someotherextension', url: 'chrome-extension://someotherextension/page.html' };
const noTab: Sender = { id: EXTENSION_ID, url: 'https://news.example/story' };
const lookalike: Sender = { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}x/page.html` };

let handle: typeof import('../../extension/src/background/handlers').handle;
let answer: typeof import('../../extension/src/shared/rpc').answer;

before(async () => {
  installFakeExtension();
  ({ handle } = await import('../../extension/src/background/handlers'));
  ({ answer } = await import('../../extension/src/shared/rpc'));
});

/** The error message a request is rejected with (fails if it is answered). */
async function refusal(message: unknown, sender: Sender): Promise<string> {
  try {
    await handle(message, sender);
  } catch (error) {
    assert.ok(error instanceof Error, `an Error, not ${String(error)}`);
    assert.ok(!(error instanceof TypeError), `a deliberate refusal, not a TypeError: ${error.message}`);
    return error.message;
  }
  assert.fail(`accepted: ${JSON.stringify(message)?.slice(0, 100)}`);
}

async function annotate(blocks: string[], sender: Sender = contentScript) {
  return (await handle({ type: 'annotate', blocks, categories: ['place', 'person'] }, sender)) as { findings: number[]; entries: Array<{ id: string }> };
}

describe('who may ask what', () => {
  test('content scripts and extension pages may annotate; nobody else', async () => {
    assert.deepEqual((await annotate(['Talks in Paris.'])).entries.map((e) => e.id), ['paris']);
    assert.deepEqual((await annotate(['Talks in Paris.'], extensionPage)).entries.map((e) => e.id), ['paris']);
    for (const sender of [otherExtension, noTab, lookalike, {}]) {
      assert.equal(await refusal({ type: 'annotate', blocks: ['Paris'], categories: ['place'] }, sender), 'unknown sender');
      assert.equal(await refusal({ type: 'entry.get', id: 'paris' }, sender), 'unknown sender');
    }
  });

  test('settings are read and changed by the extension pages only', async () => {
    for (const sender of [contentScript, otherExtension, noTab, lookalike]) {
      assert.match(await refusal({ type: 'settings.site.set', site: 'news.example', patch: { enabled: false } }, sender), /extension pages only/);
      assert.match(await refusal({ type: 'settings.site.get', site: 'news.example' }, sender), /extension pages only/);
    }
    const changed = (await handle({ type: 'settings.site.set', site: 'news.example', patch: { enabled: false } }, extensionPage)) as { settings: { enabled: boolean } };
    assert.equal(changed.settings.enabled, false);
  });

  test("a page's settings are those of the sender's own URL, whatever the message says", async () => {
    await handle({ type: 'settings.site.set', site: 'paused.example', patch: { enabled: false } }, extensionPage);
    const asked = (await handle({ type: 'page.settings', site: 'paused.example' }, contentScript)) as { site: string; settings: { enabled: boolean } };
    assert.equal(asked.site, 'news.example');
    assert.match(await refusal({ type: 'page.settings' }, extensionPage), /only a page/);
    assert.match(await refusal({ type: 'page.settings' }, { ...contentScript, url: 'file:///etc/passwd' }), /only on http and https/);
  });
});

describe('malformed and oversized requests get an error reply', () => {
  const malformed: Array<[string, unknown]> = [
    ['null', null],
    ['a number', 42],
    ['a string', 'annotate'],
    ['an array', ['annotate']],
    ['no type', { blocks: ['Paris'] }],
    ['a type that is not a string', { type: { toString: () => 'annotate' } }],
    ['a type with no prototype', { type: Object.create(null) }],
    ['an unknown type', { type: 'settings.exportAll' }],
    ['an inherited name as type', { type: 'constructor' }],
    ['__proto__ as type', JSON.parse('{"type":"__proto__"}')],
    ['blocks missing', { type: 'annotate', categories: ['place'] }],
    ['blocks not an array', { type: 'annotate', blocks: 'Paris', categories: ['place'] }],
    ['a block that is not a string', { type: 'annotate', blocks: ['Paris', 7], categories: ['place'] }],
    ['an array with a hole', { type: 'annotate', blocks: [, 'Paris'], categories: ['place'] }], // eslint-disable-line no-sparse-arrays
    ['an array-like object', { type: 'annotate', blocks: { length: 1, 0: 'Paris' }, categories: ['place'] }],
    ['categories missing', { type: 'annotate', blocks: ['Paris'] }],
    ['an unknown category', { type: 'annotate', blocks: ['Paris'], categories: ['place', 'weather'] }],
    ['a category that is not a string', { type: 'annotate', blocks: ['Paris'], categories: [{}] }],
    ['thousands of categories', { type: 'annotate', blocks: ['Paris'], categories: new Array(5000).fill('place') }],
    ['an entry id that is not a string', { type: 'entry.get', id: 42 }],
    ['a huge entry id', { type: 'entry.get', id: 'x'.repeat(100_000) }],
    ['a site that is not a host name', { type: 'settings.site.get', site: '<img src=x onerror=alert(1)>' }],
    ['a settings patch of the wrong shape', { type: 'settings.site.set', site: 'news.example', patch: { enabled: 'yes' } }],
  ];
  for (const [name, message] of malformed) {
    test(name, async () => {
      const reason = await refusal(message, extensionPage);
      assert.ok(reason.length > 0 && reason.length < 200, reason);
    });
  }

  test('more text than one request may carry (a content script sends at most 256 K characters)', async () => {
    assert.match(await refusal({ type: 'annotate', blocks: ['Paris '.repeat(100_000)], categories: ['place'] }, contentScript), /too much text/);
    assert.match(await refusal({ type: 'annotate', blocks: new Array(300_000).fill('x'), categories: ['place'] }, contentScript), /too many blocks/);
    // Just under the limit is answered.
    const result = await annotate(['Paris '.repeat(80_000)]);
    assert.equal(result.findings.length, 4 * 80_000);
  });

  test('through the listener, every refusal is a reply and never an exception', async () => {
    const replies: unknown[] = [];
    for (const [, message] of malformed) {
      const returned = answer(() => handle(message, extensionPage), (reply) => replies.push(reply));
      assert.equal(returned, true, 'the reply comes asynchronously');
    }
    // A listener whose work throws at once still answers.
    answer(() => {
      throw new TypeError('thrown before any promise');
    }, (reply) => replies.push(reply));
    // A reply that cannot be delivered (the tab closed) is dropped quietly.
    answer(async () => 1, () => {
      throw new Error('Attempting to use a disconnected port object');
    });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(replies.length, malformed.length + 1);
    for (const reply of replies) {
      assert.equal((reply as { ok: boolean }).ok, false);
      assert.equal(typeof (reply as { error: unknown }).error, 'string');
    }
    // And the core still answers.
    assert.deepEqual((await annotate(['Mount Hermon'])).entries.map((e) => e.id), ['mount-hermon']);
  });
});

