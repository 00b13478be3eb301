import { describe, expect, it } from "vitest";
import {
  createStepFunctionsEmulator,
  PAYLOAD_LIMIT_BYTES,
} from "../../local/runtime/step-functions-emulator.ts";
import type { StateMachineDefinition } from "../../workflows/asl.ts";

const ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:payloads";
const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:make";

/** A machine whose one task returns `bytes` of text and keeps it in the state. */
function machineReturning(bytes: number) {
  const definition: StateMachineDefinition = {
    StartAt: "Make",
    States: {
      Make: { Type: "Task", Resource: LAMBDA, ResultPath: "$.made", Next: "Done" },
      Done: { Type: "Succeed" },
    },
  };
  const sfn = createStepFunctionsEmulator(
    [{ arn: ARN, definition, lambdas: { [LAMBDA]: async () => "x".repeat(bytes) } }],
    async () => {
      throw new Error("no SDK task here");
    },
  );
  const start = async () => {
    const startExecution = sfn.service.operations.StartExecution as (input: unknown) => {
      executionArn: string;
    };
    const { executionArn } = startExecution({ stateMachineArn: ARN, name: "run", input: "{}" });
    const execution = sfn.executions().find((e) => e.executionArn === executionArn);
    await execution?.done;
    return execution;
  };
  return { start };
}

describe("Step Functions emulator: the 256 KiB payload quota", () => {
  it("measures the largest payload of a run that stays under the quota", async () => {
    const run = await machineReturning(100_000).start();
    expect(run?.status).toBe("SUCCEEDED");
    expect(run?.largestPayload.bytes).toBeGreaterThanOrEqual(100_002);
    expect(run?.largestPayload.bytes).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  });

  it("fails a run whose task result exceeds it with States.DataLimitExceeded, as AWS does", async () => {
    const run = await machineReturning(PAYLOAD_LIMIT_BYTES).start();
    expect(run?.status).toBe("FAILED");
    expect(run?.error).toBe("States.DataLimitExceeded");
    expect(run?.cause).toContain("'Make' returned a result with a size exceeding");
  });
});
