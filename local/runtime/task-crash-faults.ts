import type { LocalTaskHandler } from "./step-functions-emulator.ts";

/**
 * Crashes of Lambda Task handlers, the way Step Functions sees a crashed function behind a direct
 * Lambda ARN `Resource`: the state fails with the function's `errorType` as the error name and the
 * function's error payload as the cause. `Runtime.ExitError` is what Lambda reports when the runtime
 * process dies (an out-of-memory kill, a segfault, `process.exit`); `Sandbox.Timedout` when the
 * function runs past its timeout. Neither is a `Lambda.*` service exception, so a Retry that lists
 * only those does not retry a crash (`States.ALL` / `States.TaskFailed` do).
 */

/** The error name Step Functions reports for a crashed function. */
export type LambdaCrashErrorName = "Runtime.ExitError" | "Sandbox.Timedout";

/**
 * `before`: the invocation dies before the handler runs (no side effect). `after`: the handler runs to
 * completion (its side effects happened) and then the result is lost, as when the function is killed
 * or times out after its last write.
 */
export type CrashTiming = "before" | "after";

/** A batch of crashes to inject. */
export interface CrashTasksOptions {
  /** How many matching invocations crash (each crash counts once). */
  count: number;
  when: CrashTiming;
  /**
   * Only invocations of these tasks: a Task state's name, its Resource (the Lambda ARN) or the function
   * name in that ARN. @default every Lambda Task
   */
  taskNames?: string[];
  /** @default "Runtime.ExitError" */
  error?: LambdaCrashErrorName;
}

/** Where one Lambda Task invocation runs. */
export interface TaskSite {
  stateMachineArn: string;
  executionArn: string;
  stateName: string;
  /** The Task's Resource (a Lambda function ARN). */
  resource: string;
}

/** One crash that took effect. */
export interface InjectedCrash extends TaskSite {
  /** The function name in the Resource ARN (the Resource itself when it is no Lambda ARN). */
  functionName: string;
  when: CrashTiming;
  error: LambdaCrashErrorName;
  /** 1 for the first crash injected, 2 for the next... */
  sequence: number;
}

/** The failure of a crashed invocation: `name` is the error Step Functions reports, `message` the cause. */
export class LambdaCrashError extends Error {
  readonly crash: InjectedCrash;

  constructor(crash: InjectedCrash) {
    super(crashCause(crash));
    this.name = crash.error;
    this.crash = crash;
  }
}

interface ArmedCrashes {
  remaining: number;
  when: CrashTiming;
  taskNames: ReadonlySet<string> | null;
  error: LambdaCrashErrorName;
}

/** Thrown for a crash request that cannot be met (a count that is not a positive whole number). */
export class CrashTasksOptionsError extends Error {
  override name = "CrashTasksOptionsError";
}

/**
 * The crash switch of the Step Functions emulator. Crashes are counted, not drawn: the next `count`
 * matching invocations crash, in the order they start (`before`) or finish (`after`), so a history
 * replays the same way.
 */
export class TaskCrashFaults {
  /** Every crash that took effect, oldest first. */
  readonly injected: InjectedCrash[] = [];
  private armed: ArmedCrashes[] = [];

  /** Arms `count` crashes; adds to any still armed. */
  crashTasks(options: CrashTasksOptions): void {
    if (!Number.isInteger(options.count) || options.count < 1)
      throw new CrashTasksOptionsError(`count must be a whole number above 0, got ${options.count}`);
    this.armed.push({
      remaining: options.count,
      when: options.when,
      taskNames: options.taskNames === undefined ? null : new Set(options.taskNames),
      error: options.error ?? "Runtime.ExitError",
    });
  }

  /** Crashes armed and not yet injected. */
  pending(): number {
    return this.armed.reduce((sum, armed) => sum + armed.remaining, 0);
  }

  /** Disarms every crash still armed (what was injected stays recorded). */
  clear(): void {
    this.armed = [];
  }

  /** Injected crashes by function name. */
  countByTask(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const crash of this.injected) counts[crash.functionName] = (counts[crash.functionName] ?? 0) + 1;
    return counts;
  }

  /** `handler` as the Task at `site` runs it: crashing when an armed crash matches. */
  wrap(handler: LocalTaskHandler, site: TaskSite): LocalTaskHandler {
    return async (input) => {
      const early = this.take(site, "before");
      if (early !== null) throw new LambdaCrashError(early);
      const result = await handler(input);
      const late = this.take(site, "after");
      if (late !== null) throw new LambdaCrashError(late);
      return result;
    };
  }

  private take(site: TaskSite, when: CrashTiming): InjectedCrash | null {
    const functionName = functionNameOf(site.resource);
    const armed = this.armed.find(
      (candidate) =>
        candidate.when === when &&
        (candidate.taskNames === null ||
          candidate.taskNames.has(site.stateName) ||
          candidate.taskNames.has(site.resource) ||
          candidate.taskNames.has(functionName)),
    );
    if (armed === undefined) return null;
    armed.remaining -= 1;
    if (armed.remaining === 0) this.armed = this.armed.filter((candidate) => candidate !== armed);
    const crash: InjectedCrash = {
      ...site,
      functionName,
      when,
      error: armed.error,
      sequence: this.injected.length + 1,
    };
    this.injected.push(crash);
    return crash;
  }
}

/** `okta-aws-lifecycle-readUserTruth` from `arn:aws:lambda:<region>:<account>:function:okta-aws-lifecycle-readUserTruth[:qualifier]`. */
function functionNameOf(resource: string): string {
  const match = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(resource);
  return match?.[1] ?? resource;
}

/** The cause Step Functions shows: the function's error payload, as Lambda writes it for the runtime's failure. */
function crashCause(crash: InjectedCrash): string {
  // A deterministic request id, so a replayed history prints the same causes.
  const requestId = `00000000-0000-4000-8000-${String(crash.sequence).padStart(12, "0")}`;
  const errorMessage =
    crash.error === "Runtime.ExitError"
      ? `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`
      : `RequestId: ${requestId} Error: Task timed out after 3.00 seconds`;
  return JSON.stringify({ errorType: crash.error, errorMessage });
}
