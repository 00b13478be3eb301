import { StateMachine } from "aws-local-stepfunctions";
import { describe, expect, it } from "vitest";
import { pollDelayMs } from "../../../usecases/reconcile-estate/plan-executor.ts";
import type { State, StateMachineDefinition } from "../../../workflows/asl.ts";
import { ESTATE_RECONCILE_TASKS, estateReconcileDefinition } from "../../../workflows/estate-reconcile.ts";
import { POLL_BACKOFF, provisionProcessor } from "../../../workflows/identity-center-operations.ts";
import { USER_RECONCILE_TASKS, userReconcileDefinition } from "../../../workflows/user-reconcile.ts";

const lambdaArn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const userMachine = userReconcileDefinition(
  Object.fromEntries(USER_RECONCILE_TASKS.map((t) => [t, lambdaArn(t)])) as never,
);
const estateMachine = estateReconcileDefinition(
  Object.fromEntries(ESTATE_RECONCILE_TASKS.map((t) => [t, lambdaArn(t)])) as never,
);

/** Every state of a definition, Map processors included. */
function allStates(states: Record<string, State>): [string, State][] {
  return Object.entries(states).flatMap(([name, s]): [string, State][] =>
    s.Type === "Map" ? [[name, s], ...allStates(s.ItemProcessor.States)] : [[name, s]],
  );
}

/**
 * The Lambda service's transient errors that Step Functions recommends retrying ("Handle Lambda
 * service exceptions", docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html).
 */
const RECOMMENDED_LAMBDA_RETRY = [
  "Lambda.ClientExecutionTimeoutException",
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
];

describe("workflow definitions", () => {
  it.each([
    ["user-reconcile", userMachine],
    ["estate-reconcile", estateMachine],
  ] as [string, StateMachineDefinition][])(
    "%s retries every Lambda task on the recommended Lambda errors",
    (_name, machine) => {
      // Prepare
      const lambdaTasks = allStates(machine.States).filter(
        ([, s]) => s.Type === "Task" && s.Resource.startsWith("arn:aws:lambda:"),
      );
      expect(lambdaTasks.length).toBeGreaterThan(3);

      // Act
      const missing = lambdaTasks.flatMap(([name, s]) => {
        const retried = new Set(s.Type === "Task" ? (s.Retry ?? []).flatMap((r) => r.ErrorEquals) : []);
        return RECOMMENDED_LAMBDA_RETRY.filter((e) => !retried.has(e)).map((e) => `${name}: ${e}`);
      });

      // Assess
      expect(missing).toEqual([]);
    },
  );

  it("keeps the state independent of the plan's size: batch Maps add nothing or one summary per batch", () => {
    // Prepare
    const maps = (machine: StateMachineDefinition) =>
      Object.fromEntries(
        Object.entries(machine.States).flatMap(([name, s]) => (s.Type === "Map" ? [[name, s]] : [])),
      );

    // Act
    const estate = maps(estateMachine);
    const user = maps(userMachine);

    // Assess: the estate's batch Maps keep no results; the user's deletions iterate over batches
    expect(Object.values(estate).map((m) => m.ResultPath)).toEqual([null, null]);
    expect(user.DeleteAssignments).toMatchObject({ ItemsPath: "$.plan.deletionBatches", MaxConcurrency: 1 });
    const processor =
      user.DeleteAssignments?.Type === "Map" ? user.DeleteAssignments.ItemProcessor : undefined;
    expect(processor?.States.RecordDeletions).toMatchObject({ Type: "Task", End: true });
  });

  it("no Wait that polls an Identity Center operation has a fixed delay", () => {
    // Prepare
    const waits = allStates(userMachine.States).filter(([, s]) => s.Type === "Wait");

    // Act
    const pollWaits = waits.filter(([name]) => name.endsWith("Wait"));

    // Assess: Hold and AwaitWindowEnd wait for instants; every status poll reads its backoff counter
    expect(pollWaits.length).toBeGreaterThanOrEqual(3);
    for (const [name, s] of pollWaits)
      expect(s, name).toMatchObject({ Type: "Wait", SecondsPath: "$.poll.seconds" });
    for (const [, s] of waits) expect(s).not.toHaveProperty("Seconds");
  });

  it("polls an operation that stays IN_PROGRESS after 1, 2, 4, then every 8 seconds, and reports it", async () => {
    // Prepare: the re-provision processor run alone; the status read answers IN_PROGRESS six times
    const processor = provisionProcessor("P");
    const machine = new StateMachine({ StartAt: processor.StartAt, States: processor.States } as never, {
      validationOptions: { checkArn: false },
    });
    let reads = 0;
    const status = (s: string) => ({
      PermissionSetProvisioningStatus: { RequestId: "r-1", Status: s },
    });

    // Act
    const run = machine.run(
      { InstanceArn: "i", PermissionSetArn: "ps", TargetId: "111111111111", TargetType: "AWS_ACCOUNT" },
      {
        overrides: {
          taskResourceLocalHandlers: {
            PStart: async () => status("IN_PROGRESS"),
            PDescribe: async () => status(++reads > 6 ? "SUCCEEDED" : "IN_PROGRESS"),
          },
          waitTimeOverrides: { PWait: 0 },
        },
      },
    );
    const waited: number[] = [];
    for await (const event of run.eventLogs) {
      if (event.type === "StateEntered" && event.state.name === "PWait")
        waited.push((event.state.input as { poll: { seconds: number } }).poll.seconds);
    }
    const output = await run.result;

    // Assess
    expect(waited).toEqual([1, 2, 4, 8, 8, 8, 8]);
    expect(Math.max(...waited)).toBe(POLL_BACKOFF.maxSeconds);
    expect(output).toMatchObject({ status: "SUCCEEDED", requestId: "r-1", accountId: "111111111111" });
  });

  it("the estate executor backs off its status polls the same way", () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => pollDelayMs(1000, n))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });
});
