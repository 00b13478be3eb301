import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterEach, describe, expect, it } from "vitest";
import {
  localClientConfig,
  type RunningServer,
  startAwsJsonServer,
} from "../../local/emulators/aws-json-server.ts";
import { createSdkTaskInvoker } from "../../local/runtime/sdk-task-invoker.ts";
import { createStepFunctionsEmulator } from "../../local/runtime/step-functions-emulator.ts";
import { CrashTasksOptionsError } from "../../local/runtime/task-crash-faults.ts";
import type { Retrier, StateMachineDefinition } from "../../workflows/asl.ts";

const MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:crash-test";
const RECORD = "arn:aws:lambda:us-east-1:000000000000:function:crash-test-record";
const FINISH = "arn:aws:lambda:us-east-1:000000000000:function:crash-test-finish";

/** Record (a side effect: one write per run of its handler) -> Finish. */
function definition(retry: Retrier[]): StateMachineDefinition {
  return {
    StartAt: "Record",
    States: {
      Record: { Type: "Task", Resource: RECORD, ResultPath: "$.recorded", Retry: retry, Next: "Finish" },
      Finish: { Type: "Task", Resource: FINISH, ResultPath: "$.finished", Retry: retry, End: true },
    },
  };
}

const CRASH_RETRY: Retrier = { ErrorEquals: ["Runtime.ExitError", "Sandbox.Timedout"], MaxAttempts: 3 };

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The emulator behind the real SFN client, with handlers that count their runs. */
async function startMachine(retry: Retrier[]) {
  const writes: string[] = [];
  const finishes: unknown[] = [];
  const emulator = createStepFunctionsEmulator(
    [
      {
        arn: MACHINE,
        definition: definition(retry),
        lambdas: {
          [RECORD]: async (input) => {
            writes.push((input as { id: string }).id);
            return { written: writes.length };
          },
          [FINISH]: async (input) => {
            finishes.push(input);
            return "done";
          },
        },
        retryIntervalMs: 1,
      },
    ],
    createSdkTaskInvoker({}),
  );
  const server = await startAwsJsonServer([emulator.service]);
  servers.push(server);
  const sfn = new SFNClient(localClientConfig(server.endpoint));
  const run = async (name: string) => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE, name, input: JSON.stringify({ id: name }) }),
    );
    await emulator.idle();
    return sfn.send(new DescribeExecutionCommand({ executionArn }));
  };
  return { emulator, run, writes, finishes };
}

describe("Step Functions emulator: crashed Lambda tasks", () => {
  it("recovers with a Retry on Runtime.ExitError, and records the crash by task", async () => {
    // Prepare
    const { emulator, run, writes } = await startMachine([CRASH_RETRY]);
    emulator.faults.crashTasks({ count: 2, when: "before", taskNames: ["Record"] });

    // Act
    const execution = await run("retried");

    // Assess
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output ?? "{}")).toMatchObject({
      recorded: { written: 1 },
      finished: "done",
    });
    expect(writes).toEqual(["retried"]);
    expect(emulator.faults.countByTask()).toEqual({ "crash-test-record": 2 });
    expect(emulator.faults.injected.map((crash) => [crash.stateName, crash.when, crash.error])).toEqual([
      ["Record", "before", "Runtime.ExitError"],
      ["Record", "before", "Runtime.ExitError"],
    ]);
    expect(emulator.faults.injected[0]?.executionArn).toBe(execution.executionArn);
    expect(emulator.faults.pending()).toBe(0);
  });

  it("fails the execution with Runtime.ExitError and the function's error payload as cause when no Retry matches", async () => {
    // Prepare: the Retry lists only Lambda service exceptions, as the AWS best-practice retrier does
    const { emulator, run, finishes } = await startMachine([
      { ErrorEquals: ["Lambda.ServiceException", "Lambda.SdkClientException"], MaxAttempts: 3 },
    ]);
    emulator.faults.crashTasks({ count: 1, when: "before" });

    // Act
    const execution = await run("unretried");

    // Assess
    expect(execution.status).toBe("FAILED");
    expect(execution.error).toBe("Runtime.ExitError");
    expect(JSON.parse(execution.cause ?? "{}")).toEqual({
      errorType: "Runtime.ExitError",
      errorMessage:
        "RequestId: 00000000-0000-4000-8000-000000000001 Error: Runtime exited with error: signal: killed",
    });
    expect(finishes).toEqual([]);
  });

  it("reports a timed-out function as Sandbox.Timedout", async () => {
    // Prepare
    const { emulator, run } = await startMachine([]);
    emulator.faults.crashTasks({ count: 1, when: "after", taskNames: [FINISH], error: "Sandbox.Timedout" });

    // Act
    const execution = await run("timed-out");

    // Assess
    expect(execution.status).toBe("FAILED");
    expect(execution.error).toBe("Sandbox.Timedout");
    expect(execution.cause).toContain("Task timed out after");
  });

  it("a crash after the handler runs its side effect exactly once more than a crash before it", async () => {
    // Prepare: two machines, one crash each, both recovered by the Retry
    const before = await startMachine([CRASH_RETRY]);
    before.emulator.faults.crashTasks({ count: 1, when: "before", taskNames: ["crash-test-record"] });
    const after = await startMachine([CRASH_RETRY]);
    after.emulator.faults.crashTasks({ count: 1, when: "after", taskNames: ["crash-test-record"] });

    // Act
    const a = await before.run("once");
    const b = await after.run("once");

    // Assess: the lost result made the retry write again
    expect([a.status, b.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(before.writes).toEqual(["once"]);
    expect(after.writes).toEqual(["once", "once"]);
    expect(after.writes.length).toBe(before.writes.length + 1);
    expect(JSON.parse(b.output ?? "{}").recorded).toEqual({ written: 2 });
  });

  it("crashes only the named tasks, and nothing once cleared", async () => {
    // Prepare
    const { emulator, run, writes } = await startMachine([]);
    emulator.faults.crashTasks({ count: 5, when: "before", taskNames: ["NoSuchState"] });
    emulator.faults.crashTasks({ count: 1, when: "before", taskNames: ["Finish"] });
    emulator.faults.clear();

    // Act
    const execution = await run("calm");

    // Assess
    expect(execution.status).toBe("SUCCEEDED");
    expect(writes).toEqual(["calm"]);
    expect(emulator.faults.injected).toEqual([]);
    expect(emulator.faults.pending()).toBe(0);
  });

  it("leaves other tasks alone and keeps unspent crashes armed", async () => {
    // Prepare
    const { emulator, run } = await startMachine([]);
    emulator.faults.crashTasks({ count: 3, when: "before", taskNames: ["Finish"] });

    // Act
    const execution = await run("partial");

    // Assess
    expect(execution.error).toBe("Runtime.ExitError");
    expect(emulator.faults.countByTask()).toEqual({ "crash-test-finish": 1 });
    expect(emulator.faults.pending()).toBe(2);
  });

  it("refuses a count that is not a positive whole number", () => {
    // Prepare
    const emulator = createStepFunctionsEmulator([], createSdkTaskInvoker({}));

    // Act
    const attempt = () => emulator.faults.crashTasks({ count: 0, when: "before" });

    // Assess
    expect(attempt).toThrow(CrashTasksOptionsError);
  });
});
