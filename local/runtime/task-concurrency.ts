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
 * slot, so a Deny must not wait here behind a burst's read-backs either.
 */
export class TaskConcurrency {
  readonly limit: number;
  private running = 0;
  /** Waiting invocations, urgent ones first, each kind in arrival order. */
  private readonly waiting: { urgent: (() => void)[]; other: (() => void)[] } = { urgent: [], other: [] };
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
    urgent = false,
  ): ((input: I) => Promise<O>) | undefined {
    if (handler === undefined) return undefined;
    return async (input) => {
      await this.acquire(urgent);
      try {
        return await handler(input);
      } finally {
        this.release();
      }
    };
  }

  private async acquire(urgent: boolean): Promise<void> {
    if (this.running >= this.limit) {
      this.queued++;
      await new Promise<void>((resolve) => this.waiting[urgent ? "urgent" : "other"].push(resolve));
    } else {
      this.running++;
    }
    this.peak = Math.max(this.peak, this.running);
  }

  private release(): void {
    const next = this.waiting.urgent.shift() ?? this.waiting.other.shift();
    // The slot passes straight to the next in line.
    if (next) next();
    else this.running--;
  }
}
