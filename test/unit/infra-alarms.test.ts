import { beforeAll, describe, expect, it } from "vitest";
import { RUNTIME_CONTRACT } from "../../infra/runtime-contract.ts";
import { REVOCATION_PENDING_METRIC } from "../../usecases/reconcile-user/revocation-pending.ts";
import {
  type AlarmArgs,
  type EvaluatorBehaviour,
  evaluateAlarm,
  type Samples,
} from "../support/cloudwatch-alarm-evaluator.ts";
import { type DeclaredResource, installFakeSstGlobals, resolved } from "../support/fake-sst-globals.ts";

const SLA_SECONDS = 300;
const MINUTE = 60;
const HOUR = 3600;
/** A period boundary, so "the first period" below is a whole one. */
const T0 = 1_800_000_000 - (1_800_000_000 % 300);
/** Both readings of arithmetic over a missing datapoint (test/support/cloudwatch-alarm-evaluator.ts). */
const BEHAVIOURS: EvaluatorBehaviour[] = [{ missingInArithmetic: "zero" }, { missingInArithmetic: "drop" }];
/** Evaluations every minute from `from` for `seconds`, as CloudWatch evaluates alarms. */
const everyMinute = (from: number, seconds: number) =>
  Array.from({ length: Math.floor(seconds / MINUTE) }, (_, i) => from + (i + 1) * MINUTE);

describe("infra/alarms: the alarms fire on sample metric data (CloudWatch semantics, test/support)", () => {
  let declared: DeclaredResource[];
  const alarm = (name: string) => {
    const found = declared.find((d) => d.type === "aws.cloudwatch.MetricAlarm" && d.name === name);
    if (found === undefined) throw new Error(`no alarm ${name}`);
    return resolved(found.args) as AlarmArgs;
  };
  beforeAll(async () => {
    declared = installFakeSstGlobals();
    // Computed specifiers: infra/ is type-checked against SST's platform types (tsconfig.infra.json).
    const alarmsModule = "../../infra/alarms.ts";
    const namesModule = "../../infra/names.ts";
    const { alarms } = await import(alarmsModule);
    const { resourceNames } = await import(namesModule);
    alarms({
      names: resourceNames("okta-aws-lifecycle", "test"),
      parameters: { slaSeconds: SLA_SECONDS, pollMinutes: 5 },
      hookApiId: "api-id",
      stateMachines: { "user-reconcile": "arn:aws:states:eu-west-1:111122223333:stateMachine:user" },
      deadLetterQueues: { dispatch: { name: "okta-aws-lifecycle-test-dispatch-dlq" } },
    });
  });

  it("declares only alarms the evaluator models, on the metrics the runtime emits", () => {
    // Act
    const alarms = declared.filter((d) => d.type === "aws.cloudwatch.MetricAlarm");
    const evaluate = () =>
      alarms.map((a) =>
        evaluateAlarm(resolved(a.args) as AlarmArgs, {}, [T0], { missingInArithmetic: "zero" }),
      );

    // Assess
    expect(alarms.length).toBeGreaterThan(8);
    expect(evaluate).not.toThrow();
    expect(RUNTIME_CONTRACT.revocationPendingMetric).toBe(REVOCATION_PENDING_METRIC);
  });

  it("workflow failures: one failed execution, and no timed-out or aborted series at all, raises the alarm", () => {
    // Prepare: Step Functions published ExecutionsFailed once; the other two series have no datapoints
    const failures = alarm("UserReconcileFailures");
    const samples: Samples = { ExecutionsFailed: [[T0 + 2 * MINUTE, 1]] };

    for (const behaviour of BEHAVIOURS) {
      // Act
      const states = evaluateAlarm(failures, samples, everyMinute(T0, 30 * MINUTE), behaviour);

      // Assess: ALARM at the first evaluation after its period closed (T0 + 5 min), back to OK once it is out of range
      expect(states.indexOf("ALARM"), behaviour.missingInArithmetic).toBe(4);
      expect(states.at(-1), behaviour.missingInArithmetic).toBe("OK");
    }
  });

  it("dead letters: a queue holding messages for hours stays in ALARM after SQS stops publishing, and clears when emptied", () => {
    // Prepare: 3 messages visible from T0; SQS publishes a datapoint a minute while the queue is active.
    // Whether an untouched queue with messages stops publishing after six hours is both modelled.
    const deadLetters = alarm("DispatchDeadLetters");
    const visible = (until: number): Samples => ({
      ApproximateNumberOfMessagesVisible: everyMinute(T0 - MINUTE, until).map((t) => [t, 3] as const),
    });
    const redriven: Samples = {
      ApproximateNumberOfMessagesVisible: [
        ...everyMinute(T0 - MINUTE, 6 * HOUR).map((t) => [t, 3] as const),
        ...everyMinute(T0 + 8 * HOUR, HOUR).map((t) => [t, 0] as const),
      ],
    };
    const zero = BEHAVIOURS[0] as EvaluatorBehaviour;

    // Act
    const quietAfterSixHours = evaluateAlarm(
      deadLetters,
      visible(6 * HOUR),
      everyMinute(T0, 10 * HOUR),
      zero,
    );
    const publishingThroughout = evaluateAlarm(
      deadLetters,
      visible(10 * HOUR),
      everyMinute(T0, 10 * HOUR),
      zero,
    );
    const emptied = evaluateAlarm(deadLetters, redriven, everyMinute(T0, 10 * HOUR), zero);

    // Assess
    for (const states of [quietAfterSixHours, publishingThroughout]) {
      expect(states.slice(10)).not.toContain("OK");
      expect(states.at(-1)).toBe("ALARM");
    }
    expect(emptied.slice(10, 8 * 60)).not.toContain("OK");
    expect(emptied.at(-1)).toBe("OK");
  });

  it("revocation pending: a leaver run retrying ApplyDeny past the SLA raises it; one that revokes in time does not", () => {
    // Prepare: every ApplyDeny attempt reports the revocation's age (Okta's event at T0)
    const pending = alarm("RevocationPending");
    const attemptsAt = [5, 40, 100, 220, 400, 700, 1000];
    const stuck: Samples = { [REVOCATION_PENDING_METRIC]: attemptsAt.map((age) => [T0 + age, age] as const) };
    const inTime: Samples = { [REVOCATION_PENDING_METRIC]: [[T0 + 5, 5]] };

    // Act
    const stuckStates = evaluateAlarm(pending, stuck, everyMinute(T0, 20 * MINUTE), BEHAVIOURS[0] as never);
    const inTimeStates = evaluateAlarm(pending, inTime, everyMinute(T0, 20 * MINUTE), BEHAVIOURS[0] as never);

    // Assess: the attempt at 400 s (past the 300 s SLA) is in the period ending at 600 s
    expect(stuckStates.indexOf("ALARM")).toBe(9);
    expect(inTimeStates).not.toContain("ALARM");
    expect(pending.threshold).toBe(SLA_SECONDS);
  });
});
