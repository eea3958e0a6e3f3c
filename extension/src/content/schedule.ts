/**
 * Main-thread work in short slices. A page's own scripts, scrolling and typing must never wait
 * long for Footnote: every long job (walking a huge page, marking thousands of findings) runs
 * in slices of at most SLICE_MS, and gives the page its turn between them.
 *
 * The clock also keeps the numbers the benchmark reports: how long Footnote kept the main
 * thread in total, its longest slice, and how many there were.
 */

/** Longest slice of work before the page gets its turn (ms). A frame is 16 ms. */
export const SLICE_MS = 8;

export interface WorkStats {
  /** Main-thread time spent in Footnote's slices (ms). */
  busyMs: number;
  /** The longest single slice (ms). */
  longestMs: number;
  slices: number;
}

export class WorkClock {
  readonly stats: WorkStats = { busyMs: 0, longestMs: 0, slices: 0 };

  /**
   * Runs `step` in slices until it returns true (done). Each call gets the time by which it
   * should return; between calls the page runs.
   */
  async run(step: (deadline: number) => boolean): Promise<void> {
    for (;;) {
      const done = this.once(step);
      if (done) return;
      await yieldToPage();
    }
  }

  /** Runs `f` once, counted as one slice. */
  once<T>(f: (deadline: number) => T): T {
    const start = performance.now();
    try {
      return f(start + SLICE_MS);
    } finally {
      const took = performance.now() - start;
      this.stats.busyMs += took;
      this.stats.slices++;
      if (took > this.stats.longestMs) this.stats.longestMs = took;
    }
  }
}

/**
 * Lets the page run (input, rendering, its own tasks) before continuing: a message to oneself
 * is a new task, queued behind the page's timers and messages, without setTimeout's minimum
 * delay. (Not `scheduler.yield()`: its continuations run before the page's own tasks, so a
 * long read in slices still kept the page's timers waiting for the whole read.)
 */
export function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
