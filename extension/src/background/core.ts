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

import init, { Core, KnowledgeBase, __wbg_reset_state } from '../../../pkg/footnote.js';
import { CATEGORIES, OFF_BY_DEFAULT, type Category } from '../shared/categories';
import { ext } from '../shared/browser';
import type { AnnotateResult, CoreDiagnostics, EntryRef, EntryView, QuoteView, StartTimes } from '../shared/messages';

interface Ready {
  memory: WebAssembly.Memory;
  core: Core;
  table: EntryRef[];
  byId: Map<string, number>;
}

let starting: Promise<Ready> | null = null;
let loggedFailure = false;
/**
 * Times since the background started (`performance.now()`, ms, from the worker's own start),
 * for `diagnostics`: the core's start-up step by step, and the first annotate request.
 */
const times: StartTimes = {
  scriptAt: performance.now(),
  startedAt: null,
  compiledAt: null,
  coreAt: null,
  readyAt: null,
  firstRequestAt: null,
  firstReplyAt: null,
};
let current: Ready | null = null;

/**
 * A short text with something of every kind the core finds (names, places, a resolution, a
 * quotation, attribution, a name the knowledge base lacks), annotated once at start-up.
 * The browser compiles each WebAssembly function when it first runs; this way that happens
 * while the background waits for the page's text, not while the page waits for its marks.
 */
const WARM_UP_TEXT =
  'According to officials, Prime Minister Benjamin Netanyahu met Ahmed al-Sharaa near Mount Hermon. ' +
  'Security Council Resolution 242 (1967) was cited, and “we will not withdraw,” the ministry said of the so-called buffer zone.' +
  '\0Minister Jane Doe of the Harbour Council spoke in Damascus.';

/** The categories a site shows unless the reader changes them. */
const DEFAULT_CATEGORIES = CATEGORIES.filter((c) => !OFF_BY_DEFAULT.includes(c));

/**
 * Compiles the module while it is still being read (`compileStreaming`); where the browser
 * cannot (an unexpected MIME type), from its bytes.
 */
async function compile(url: string): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch (error) {
    if (error instanceof WebAssembly.CompileError) throw error;
    return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
  }
}

/** Annotate requests waiting for the core to start. */
let waiting = 0;

/**
 * Starts the core: compiles the module, then (once `first` has settled and the replies that
 * waited for it have gone out) builds the core, which holds the background for a while.
 */
function start(first: Promise<unknown> = Promise.resolve()): Promise<Ready> {
  starting ??= (async () => {
    times.startedAt ??= performance.now();
    const compiled = compile(ext.runtime.getURL('pkg/footnote_bg.wasm')).then((module) => {
      times.compiledAt ??= performance.now();
      return module;
    });
    const [module] = await Promise.all([compiled, first.catch(() => undefined).then(nextTask)]);
    const exports = await init({ module_or_path: module });
    // In steps, each in a task of its own: running for the first time, each holds the
    // background for tens of milliseconds, and messages (a page's settings) are answered in
    // between.
    const kb = new KnowledgeBase();
    await nextTask();
    const core = Core.build(kb);
    times.coreAt ??= performance.now();
    const table = readEntryList(core.entryList());
    const byId = new Map(table.map((row, i) => [row.id, i]));
    await nextTask();
    // A request already waiting warms the core up itself, with only the categories it asks
    // for. Otherwise the categories most pages ask for come first; the rest (framing and
    // quotations, long-tail names: more code to compile) are warmed up in a later task, so
    // that a page's request arriving meanwhile waits only for what it needs.
    if (waiting === 0) core.annotate(WARM_UP_TEXT, DEFAULT_CATEGORIES);
    times.readyAt ??= performance.now();
    current = { memory: exports.memory, core, table, byId };
    void nextTask().then(() => {
      if (waiting > 0 || current?.core !== core) return;
      try {
        core.annotate(WARM_UP_TEXT, [...CATEGORIES]);
      } catch (error) {
        recover(error);
      }
    });
    return current;
  })().catch((error: unknown) => {
    starting = null;
    if (recover(error)) throw new Error('the core failed while starting and was reset');
    throw error;
  });
  return starting;
}

/** Resolves in a task of its own, after every reply already due has been sent. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The entry table from `Core.entryList()`: one `id<TAB>category` line per entry. */
function readEntryList(list: string): EntryRef[] {
  if (list === '') return [];
  return list.split('\n').map((line) => {
    const tab = line.indexOf('\t');
    return { id: line.slice(0, tab), category: line.slice(tab + 1) as Category };
  });
}

/**
 * After a trap (a Rust panic or running out of memory aborts the module), resets the module so
 * that the next request builds a new core, and logs that once. False for any other error.
 */
function recover(error: unknown): boolean {
  if (!(error instanceof WebAssembly.RuntimeError)) return false;
  if (!loggedFailure) {
    loggedFailure = true;
    console.error('Footnote: the core failed and will be restarted:', error);
  }
  starting = null;
  current = null;
  __wbg_reset_state();
  return true;
}

/** Runs `f` on the core; on a trap, resets the module so that the next call starts afresh. */
async function withCore<T>(f: (ready: Ready) => T): Promise<T> {
  const ready = await start();
  try {
    return f(ready);
  } catch (error) {
    if (recover(error)) throw new Error('the core failed on this text and was restarted');
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
  let result: AnnotateResult;
  waiting++;
  try {
    result = await withCore(({ core, table }) => findIn(core, table, blocks, categories));
  } finally {
    waiting--;
  }
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

/**
 * The entry with id `id`, or null. For a quotation entry and its `quotation`, the entry comes
 * with the quotation's comparison with the source.
 */
export function entry(id: string, quotation?: string): Promise<EntryView | null> {
  return withCore(({ core, byId }) => {
    const index = byId.get(id) ?? core.findEntry(id);
    if (index === undefined) return null;
    const view = (core.entry(index) as EntryView | undefined) ?? null;
    if (view !== null && quotation !== undefined && id.startsWith('quote:')) {
      const quote = core.checkQuote(quotation, index) as QuoteView | undefined;
      if (quote !== undefined) view.quote = quote;
    }
    return view;
  });
}

/**
 * Starts the core now, as the background starts, so that the first page is fast. The core is
 * built once `first` has settled: the question a page asks first (its settings) is answered
 * before the core holds the background.
 */
export function warmUp(first?: Promise<unknown>): void {
  start(first).catch((error: unknown) => console.error('Footnote: the core did not start:', error));
}
