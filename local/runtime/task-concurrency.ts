import { availableParallelism } from "node:os";

/**
 * Default bound on Lambda Task invocations running at once on the laptop: a few per core. Enough to
 * keep the machine busy, few enough that a burst of runs waits its turn instead of starving every task
 * of CPU until they all miss their deadlines.
 */
export const DEFAULT_MAX_CONCURRENT_TASKS = Math.max(4, 2 * availableParallelism());

/**
 * Backpressure for the local Step Functions runtime: at most `limit` Lambda Task invocations run at
 * once, the rest wait in arrival order. It stands in for what AWS does with Lambda's concurrency (an
 * account's concurrent executions, a function's reserved concurrency), where a burst is absorbed by
 * parallel sandboxes; on one machine the interpreter would otherwise start every task of every run at
 * once. A waiting task has not been invoked yet, so nothing times out for waiting: a slow machine is
 * slower, never lossy. Executions themselves start at once, as StartExecution does in AWS; a run in a
 * Wait state holds no slot (a layoff's leavers hold their Denies side by side). Urgent tasks (a
 * leaver's path to the Deny) take a free slot before the others waiting: in AWS nothing waits for a
 * slot, so a Deny must not wait here behind a burst's read-backs either. The others go by their
 * execution's age, oldest first (then arrival): each run proceeds as its calls allow, as in AWS, rather
 * than a burst's 1,000 runs each finishing only once all 1,000 have passed every earlier state.
 */
export class TaskConcurrency {
  readonly limit: number;
  private running = 0;
  private readonly runningByLabel = new Map<string, number>();
  /** Waiting invocations: urgent ones in arrival order, the others by rank (their execution's age). */
  private readonly waiting: { urgent: (() => void)[]; other: { rank: number; go: () => void }[] } = {
    urgent: [],
    other: [],
  };
  /** The most invocations seen running at once. */
  peak = 0;
  /** Invocations that had to wait for a slot. */
  queued = 0;

  constructor(limit: number = DEFAULT_MAX_CONCURRENT_TASKS) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`maxConcurrentTasks must be a whole number of at least 1 (got ${limit})`);
    this.limit = limit;
  }

  /** `handler`, invoked only when a slot is free; undefined stays undefined (an SDK task). */
  around<I, O>(
    handler: ((input: I) => Promise<O>) | undefined,
    options: { urgent?: boolean; label?: string; rank?: number } = {},
  ): ((input: I) => Promise<O>) | undefined {
    if (handler === undefined) return undefined;
    const { urgent = false, label = "task", rank = 0 } = options;
    return async (input) => {
      await this.acquire(urgent, rank);
      this.runningByLabel.set(label, (this.runningByLabel.get(label) ?? 0) + 1);
      try {
        return await handler(input);
      } finally {
        this.runningByLabel.set(label, (this.runningByLabel.get(label) ?? 1) - 1);
        this.release();
      }
    };
  }

  /** Invocations running now (by state) and waiting for a slot (urgent / other): a long run's progress. */
  load(): { running: number; urgent: number; other: number; byState: Record<string, number> } {
    return {
      running: this.running,
      urgent: this.waiting.urgent.length,
      other: this.waiting.other.length,
      byState: Object.fromEntries([...this.runningByLabel].filter(([, n]) => n > 0)),
    };
  }

  private async acquire(urgent: boolean, rank: number): Promise<void> {
    if (this.running >= this.limit) {
      this.queued++;
      await new Promise<void>((resolve) => {
        if (urgent) return void this.waiting.urgent.push(resolve);
        // After every waiting task of the same or a lower rank: oldest execution first, then arrival.
        const at = this.waiting.other.findIndex((w) => w.rank > rank);
        this.waiting.other.splice(at === -1 ? this.waiting.other.length : at, 0, { rank, go: resolve });
      });
    } else {
      this.running++;
    }
    this.peak = Math.max(this.peak, this.running);
  }

  private release(): void {
    const next = this.waiting.urgent.shift() ?? this.waiting.other.shift()?.go;
    // The slot passes straight to the next in line.
    if (next) next();
    else this.running--;
  }
}
