/**
 * The one budget every Identity Center writer in a process shares (design.md): about 20 calls per
 * second, at most 10 asynchronous assignment operations outstanding, and one permission-set update
 * per account at a time. Callers take a call slot before each API call and hold an operation slot and
 * the account's lock for the whole life of an asynchronous operation.
 */
export interface ThrottleBudgetOptions {
  /** @default 20 */
  callsPerSecond?: number;
  /** @default 10 */
  maxOutstandingOperations?: number;
  /**
   * The budget the deployed functions share (adapters/shared-call-budget.ts, as one priority sees it):
   * besides this process's pacing, every call takes a token from it, `sharedBatch` per round trip.
   */
  shared?: { take: (count: number) => Promise<void> };
  /** Tokens taken from `shared` at a time: fewer round trips, more tokens a process may hold idle. @default 5 */
  sharedBatch?: number;
  /** Injectable for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Budgets that paced a client so far: each one's middleware gets its own name. */
let paced = 0;

export class ThrottleBudget {
  private readonly interval: number;
  private next = 0;
  private outstanding = 0;
  private readonly maxOutstanding: number;
  private readonly waiters: (() => void)[] = [];
  private readonly accounts = new Map<string, Promise<void>>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly shared: ThrottleBudgetOptions["shared"];
  private readonly sharedBatch: number;
  /** Tokens taken from the shared budget and not spent yet, and the take under way. */
  private prepaid = 0;
  private taking: Promise<void> | undefined;

  constructor(options: ThrottleBudgetOptions = {}) {
    this.interval = 1000 / (options.callsPerSecond ?? 20);
    this.maxOutstanding = options.maxOutstandingOperations ?? 10;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.shared = options.shared;
    this.sharedBatch = options.sharedBatch ?? 5;
  }

  /**
   * Makes every call of an SDK client wait for a call slot first, so reads and writes of one process
   * share the rate (add it to the sso-admin client; identitystore has its own, higher limit).
   */
  pace<C extends { middlewareStack: { add: (...args: never[]) => void } }>(client: C): C {
    const add = client.middlewareStack.add as unknown as (
      middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: { step: "initialize"; name: string },
    ) => void;
    add.call(
      client.middlewareStack,
      (next) => async (args) => {
        await this.call();
        return next(args);
      },
      // Named per budget: a client may wait for two (its task's share, then the budget shared by all).
      { step: "initialize", name: `okta-aws-lifecycle-throttle-budget-${++paced}` },
    );
    return client;
  }

  /** Waits for the next call slot (calls are spaced evenly at the rate), and a shared token if any. */
  async call(): Promise<void> {
    if (this.shared) await this.sharedToken(this.shared);
    const t = this.now();
    const at = Math.max(t, this.next);
    this.next = at + this.interval;
    if (at > t) await this.sleep(at - t);
  }

  private async sharedToken(shared: { take: (count: number) => Promise<void> }): Promise<void> {
    while (this.prepaid === 0) {
      this.taking ??= shared.take(this.sharedBatch).then(
        () => {
          this.prepaid += this.sharedBatch;
          this.taking = undefined;
        },
        (error: unknown) => {
          this.taking = undefined;
          throw error;
        },
      );
      await this.taking;
    }
    this.prepaid--;
  }

  /** Runs `work` holding an operation slot and the account's lock. */
  async operation<T>(accountId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.accounts.get(accountId) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const chain = previous.then(() => mine);
    this.accounts.set(accountId, chain);
    await previous;
    await this.acquire();
    try {
      return await work();
    } finally {
      this.releaseSlot();
      release();
      if (this.accounts.get(accountId) === chain) this.accounts.delete(accountId);
    }
  }

  private async acquire(): Promise<void> {
    if (this.outstanding < this.maxOutstanding) {
      this.outstanding++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.outstanding--;
  }
}
