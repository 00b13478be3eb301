import { describe, expect, it } from "vitest";
import { TaskConcurrency } from "../../../local/runtime/task-concurrency.ts";
import {
  LOCAL_DEFAULT_TASK_TIMEOUT_SECONDS,
  withAwsTaskTimeouts,
} from "../../../local/runtime/task-timeout-default.ts";
import type { StateMachineDefinition } from "../../../workflows/asl.ts";
import {
  USER_RECONCILE_DENY_PATH,
  USER_RECONCILE_TASKS,
  userReconcileDefinition,
} from "../../../workflows/user-reconcile.ts";

/** One slot, held by a task named "holder" for 2 ms; `started` lists the tasks in the order they ran. */
function oneHeldSlot() {
  const slots = new TaskConcurrency(1);
  const started: string[] = [];
  const work = (name: string) => async () => {
    started.push(name);
    await new Promise((r) => setTimeout(r, 2));
  };
  const holder = slots.around(work("holder"))?.(undefined);
  return { slots, started, work, holder };
}

describe("local/runtime/task-concurrency", () => {
  it("runs at most `limit` handlers at once and starts the waiting ones in arrival order", async () => {
    // Prepare
    const slots = new TaskConcurrency(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const handler = slots.around(async (i: number) => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return i * 10;
    });

    // Act
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => handler?.(i)));

    // Assess
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
    expect(most).toBe(2);
    expect(slots.peak).toBe(2);
    expect(slots.queued).toBe(7);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("gives a free slot to the urgent tasks waiting before the others, each kind in arrival order", async () => {
    // Prepare: one slot, held while three ordinary and two urgent tasks queue
    const { slots, started, work, holder } = oneHeldSlot();

    // Act
    const queued = [
      slots.around(work("verify-1"))?.(undefined),
      slots.around(work("deny-1"), { urgent: true })?.(undefined),
      slots.around(work("verify-2"))?.(undefined),
      slots.around(work("deny-2"), { urgent: true })?.(undefined),
    ];
    await Promise.all([holder, ...queued]);

    // Assess
    expect(started).toEqual(["holder", "deny-1", "deny-2", "verify-1", "verify-2"]);
  });

  it("gives the other waiting tasks a slot by their execution's age, oldest first, then arrival", async () => {
    // Prepare: one slot, held while tasks of three executions (started at 30, 10 and 20) queue
    const { slots, started, work, holder } = oneHeldSlot();

    // Act
    const queued = [
      slots.around(work("new run, first task"), { rank: 30 })?.(undefined),
      slots.around(work("old run, verify"), { rank: 10 })?.(undefined),
      slots.around(work("middle run"), { rank: 20 })?.(undefined),
      slots.around(work("old run, evidence"), { rank: 10 })?.(undefined),
    ];
    await Promise.all([holder, ...queued]);

    // Assess
    expect(started).toEqual([
      "holder",
      "old run, verify",
      "old run, evidence",
      "middle run",
      "new run, first task",
    ]);
  });

  it("names the user runs' Deny path among the workflow's task states", () => {
    const states = userReconcileDefinition(
      Object.fromEntries(USER_RECONCILE_TASKS.map((t) => [t, `arn:${t}`])) as never,
    ).States;
    for (const name of USER_RECONCILE_DENY_PATH) expect(states[name]?.Type, name).toBe("Task");
  });

  it("frees the slot when a handler throws", async () => {
    const slots = new TaskConcurrency(1);
    const failing = slots.around(async () => {
      throw new Error("crash");
    });
    await expect(failing?.(undefined)).rejects.toThrow("crash");
    await expect(slots.around(async () => "next")?.(undefined)).resolves.toBe("next");
  });

  it("leaves SDK tasks (no local handler) alone and refuses a bound below 1 by name", () => {
    expect(new TaskConcurrency(3).around(undefined)).toBeUndefined();
    expect(() => new TaskConcurrency(0)).toThrow(/maxConcurrentTasks must be a whole number of at least 1/);
  });
});

describe("local/runtime/task-timeout-default", () => {
  it("gives every Task without a TimeoutSeconds AWS's 'none' (Map processors too) and keeps explicit ones", () => {
    // Prepare
    const definition: StateMachineDefinition = {
      StartAt: "A",
      States: {
        A: { Type: "Task", Resource: "arn:a", Next: "B" },
        B: { Type: "Task", Resource: "arn:b", TimeoutSeconds: 30, Next: "M" },
        M: {
          Type: "Map",
          ItemsPath: "$.items",
          ItemProcessor: { StartAt: "C", States: { C: { Type: "Task", Resource: "arn:c", End: true } } },
          End: true,
        },
      },
    };

    // Act
    const local = withAwsTaskTimeouts(definition);

    // Assess
    const timeoutOf = (state: unknown) => (state as { TimeoutSeconds?: number }).TimeoutSeconds;
    expect(timeoutOf(local.States.A)).toBe(LOCAL_DEFAULT_TASK_TIMEOUT_SECONDS);
    expect(timeoutOf(local.States.B)).toBe(30);
    const map = local.States.M as Extract<StateMachineDefinition["States"][string], { Type: "Map" }>;
    expect(timeoutOf(map.ItemProcessor.States.C)).toBe(LOCAL_DEFAULT_TASK_TIMEOUT_SECONDS);
    expect(LOCAL_DEFAULT_TASK_TIMEOUT_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(timeoutOf(definition.States.A)).toBeUndefined();
  });
});
