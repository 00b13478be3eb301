/** An AWS SDK v3 client: the counter only adds a middleware to its stack. */
interface CountableClient {
  middlewareStack: { add(middleware: never, options: never): void };
}

type Handler = (args: unknown) => Promise<unknown>;

/** What a client sent: HTTP requests by operation, and how many sequential waves they came in. */
export interface SdkRequestCounts {
  /** Requests by command name (`BatchWriteItemCommand`...), each retry attempt counted. */
  byCommand: Record<string, number>;
  total: number;
  /**
   * Times a request started while none was in flight: requests sent together (Promise.all) are one
   * wave, requests one after another are one wave each. What latency follows, whatever the machine.
   */
  waves: number;
}

/**
 * Counts the HTTP requests an SDK client sends (a middleware in the `deserialize` step, which runs
 * once per attempt, below the retry middleware): for benchmarks and tests that report round trips
 * next to milliseconds. `reset()` starts a new count.
 */
export function countSdkRequests(client: CountableClient) {
  let counts: SdkRequestCounts = { byCommand: {}, total: 0, waves: 0 };
  let inFlight = 0;
  const middleware = (next: Handler, context: { commandName?: string }) => async (args: unknown) => {
    const command = context.commandName ?? "unknown";
    counts.byCommand[command] = (counts.byCommand[command] ?? 0) + 1;
    counts.total++;
    if (inFlight === 0) counts.waves++;
    inFlight++;
    try {
      return await next(args);
    } finally {
      inFlight--;
    }
  };
  client.middlewareStack.add(
    middleware as never,
    { step: "deserialize", name: "sdkRequestCounter" } as never,
  );
  return {
    counts: (): SdkRequestCounts => ({ ...counts, byCommand: { ...counts.byCommand } }),
    reset: () => {
      counts = { byCommand: {}, total: 0, waves: 0 };
    },
  };
}
