// A trap inside the WebAssembly does not leave Footnote dead: the request gets an error
// reply, the background rebuilds the core for the next one, and logs the event once. Runs the
// real background modules and the real module from pkg/ under Node (fake-extension.ts).
//
// The trap is real, not simulated: the test caps the module's memory (V8's
// --wasm-max-mem-pages, read when memory grows) just above what the running core uses, then
// sends text that needs more. Rust's out-of-memory handler aborts, which traps exactly as a
// panic does under panic = "abort"; nothing in the shipped module is there for the test. It
// has a file, and so a process, of its own: a fresh module, and a flag no other test sees.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import v8 from 'node:v8';
import { contentScript, installFakeExtension } from './fake-extension';

let handle: typeof import('../../extension/src/background/handlers').handle;
let glue: typeof import('../../pkg/footnote.js');

before(async () => {
  installFakeExtension();
  ({ handle } = await import('../../extension/src/background/handlers'));
  glue = await import('../../pkg/footnote.js');
});

async function annotate(blocks: string[]) {
  return (await handle({ type: 'annotate', blocks, categories: ['place', 'person'] }, contentScript)) as { findings: number[]; entries: Array<{ id: string }> };
}

async function refusal(message: unknown): Promise<string> {
  try {
    await handle(message, contentScript);
  } catch (error) {
    assert.ok(error instanceof Error);
    return error.message;
  }
  assert.fail('accepted');
}

test('gets an error reply, the core is rebuilt for the next request, and it is logged once', async () => {
  const expected = await annotate(['Mount Hermon and Damascus']);
  // The running instance's memory, from the same glue module the background imported.
  const exports = (await glue.default()) as unknown as { memory: WebAssembly.Memory };
  const pages = exports.memory.buffer.byteLength / 65536;
  v8.setFlagsFromString(`--wasm-max-mem-pages=${pages + 4}`);
  const logged: unknown[][] = [];
  const realError = console.error;
  console.error = (...args: unknown[]) => void logged.push(args);
  try {
    const big = ['Mount Hermon, Damascus and Paris. '.repeat(7_000)]; // 238 K characters: allowed
    for (let round = 0; round < 2; round++) {
      assert.equal(await refusal({ type: 'annotate', blocks: big, categories: ['place'] }), 'the core failed on this text and was restarted');
      // The next request gets a fresh core, with the same answers as before.
      assert.deepEqual(await annotate(['Mount Hermon and Damascus']), expected);
      assert.equal((await handle({ type: 'entry.get', id: 'mount-hermon' }, contentScript) as { name: string }).name, 'Mount Hermon');
    }
    assert.equal(logged.length, 1, 'logged once, however often it happens');
    assert.match(String(logged[0]![0]), /the core failed and will be restarted/);
    assert.ok(logged[0]![1] instanceof WebAssembly.RuntimeError);
  } finally {
    console.error = realError;
    v8.setFlagsFromString('--wasm-max-mem-pages=65536');
  }
  // With memory to spare again, the same text is annotated.
  const ok = await annotate(['Mount Hermon, Damascus and Paris. '.repeat(7_000)]);
  assert.equal(ok.findings.length, 4 * 7_000 * 3, "three places a sentence");
});
