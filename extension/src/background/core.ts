/**
 * The only module that loads the WebAssembly core (`pkg/`). One instance serves every tab.
 *
 * Service workers allow neither top-level await nor dynamic import, so the glue is imported
 * statically and started on first use; every caller awaits the same start-up promise. An
 * idle worker may be stopped at any time; the next message starts the core again.
 *
 * With `panic = "abort"` a panic in Rust leaves the instance unusable (a WebAssembly
 * RuntimeError). The core is then reset (wasm-bindgen's `__wbg_reset_state`) and rebuilt on
 * the next request; the failing request gets an error, and the event is logged once.
 */

import init, { Core, __wbg_reset_state } from '../../../pkg/footnote.js';
import type { Category } from '../shared/categories';
import { ext } from '../shared/browser';
import type { AnnotateResult, CoreDiagnostics, EntryRef, EntryView } from '../shared/messages';

interface Ready {
  memory: WebAssembly.Memory;
  core: Core;
  table: EntryRef[];
  byId: Map<string, number>;
}

let starting: Promise<Ready> | null = null;
let loggedFailure = false;
/** Times since the background started (`performance.now()`, ms), for `diagnostics`. */
const times = { startedAt: null as number | null, readyAt: null as number | null, firstRequestAt: null as number | null, firstReplyAt: null as number | null };
let current: Ready | null = null;

function start(): Promise<Ready> {
  starting ??= (async () => {
    times.startedAt ??= performance.now();
    const exports = await init({ module_or_path: ext.runtime.getURL('pkg/footnote_bg.wasm') });
    const core = new Core();
    const table = core.entryTable() as EntryRef[];
    const byId = new Map(table.map((row, i) => [row.id, i]));
    times.readyAt ??= performance.now();
    current = { memory: exports.memory, core, table, byId };
    return current;
  })().catch((error: unknown) => {
    starting = null;
    throw error;
  });
  return starting;
}

/** Runs `f` on the core; on a trap, resets the module so that the next call starts afresh. */
async function withCore<T>(f: (ready: Ready) => T): Promise<T> {
  const ready = await start();
  try {
    return f(ready);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      if (!loggedFailure) {
        loggedFailure = true;
        console.error('Footnote: the core failed and will be restarted:', error);
      }
      starting = null;
      __wbg_reset_state();
      throw new Error('the core failed on this text and was restarted');
    }
    throw error;
  }
}

/**
 * The blocks as the one string the core takes: joined by U+0000, which no finding crosses.
 * A U+0000 inside a block (rare, but a page can contain anything) becomes a space, which keeps
 * every offset.
 */
export function joinBlocks(blocks: readonly string[]): string {
  return blocks.map((b) => (b.includes('\0') ? b.replaceAll('\0', ' ') : b)).join('\0');
}

/** Finds entries in `blocks`; entry numbers in the result index its own `entries`. */
export async function annotate(blocks: string[], categories: Category[]): Promise<AnnotateResult> {
  times.firstRequestAt ??= performance.now();
  const result = await withCore(({ core, table }) => findIn(core, table, blocks, categories));
  times.firstReplyAt ??= performance.now();
  return result;
}

/** The findings of the core in `blocks`, with entry numbers local to the result. */
function findIn(core: Core, table: EntryRef[], blocks: string[], categories: Category[]): AnnotateResult {
  const flat = core.annotate(joinBlocks(blocks), categories);
  const local = new Map<number, number>();
  const entries: EntryRef[] = [];
  const findings = new Array<number>(flat.length);
  for (let i = 0; i + 3 < flat.length; i += 4) {
    const index = flat[i + 3]!;
    let n = local.get(index);
    if (n === undefined) {
      n = entries.length;
      local.set(index, n);
      // Indices past the table stand for UN resolutions the document linker found.
      const row = table[index] ?? (core.entryRef(index) as EntryRef | undefined);
      if (row === undefined) throw new Error(`the core returned an unknown entry ${index}`);
      entries.push(row);
    }
    findings[i] = flat[i]!;
    findings[i + 1] = flat[i + 1]!;
    findings[i + 2] = flat[i + 2]!;
    findings[i + 3] = n;
  }
  return { findings, entries };
}

/** How the core started, and its memory. */
export function diagnostics(): CoreDiagnostics {
  return {
    ...times,
    wasmMemoryBytes: current?.memory.buffer.byteLength ?? 0,
    entries: current?.table.length ?? 0,
  };
}

/** The entry with id `id`, or null. */
export function entry(id: string): Promise<EntryView | null> {
  return withCore(({ core, byId }) => {
    const index = byId.get(id) ?? core.findEntry(id);
    return index === undefined ? null : ((core.entry(index) as EntryView | undefined) ?? null);
  });
}

/** Starts the core now (used at install and start-up so that the first page is fast). */
export function warmUp(): void {
  start().catch((error: unknown) => console.error('Footnote: the core did not start:', error));
}
