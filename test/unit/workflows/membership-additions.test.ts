import { StateMachine } from "aws-local-stepfunctions";
import { describe, expect, it } from "vitest";
import {
  IDENTITY_STORE_ERROR_PREFIXES,
  IDENTITY_STORE_RETRY,
} from "../../../workflows/identity-center-operations.ts";
import { ALREADY_A_MEMBER, membershipAdditionsProcessor } from "../../../workflows/membership-additions.ts";
import { USER_RECONCILE_TASKS, userReconcileDefinition } from "../../../workflows/user-reconcile.ts";

/**
 * The AddMemberships iteration run alone in aws-local-stepfunctions, its identitystore tasks answered
 * by scripted handlers: a duplicate membership is done after one CreateGroupMembership and one read
 * (no retry), a concurrent modification is retried, under each Step Functions error prefix.
 */

const ITEM = { IdentityStoreId: "d-1234567890", GroupId: "g-readers", MemberId: { UserId: "u-jane" } };

const awsError = (name: string) => Object.assign(new Error(`${name} (scripted)`), { name });

type Answer = () => Record<string, string>;
type Script = Record<string, Answer[]>;

/** Runs the processor; each task answers the next entry of its script (the last one repeats). */
async function run(script: Script) {
  const processor = membershipAdditionsProcessor();
  const machine = new StateMachine({ StartAt: processor.StartAt, States: processor.States } as never, {
    validationOptions: { checkArn: false },
  });
  const calls: string[] = [];
  const handler = (state: string) => async (input: unknown) => {
    expect(input).toEqual(ITEM);
    const answers = script[state] ?? [];
    const answer = answers[Math.min(calls.filter((c) => c === state).length, answers.length - 1)];
    calls.push(state);
    if (answer === undefined) throw new Error(`${state} was not expected`);
    return answer();
  };
  const tasks = ["AddMembership", "FindExistingMembership", "AddMembershipAgain", "ConfirmMembership"];
  const execution = machine.run(ITEM, {
    overrides: {
      taskResourceLocalHandlers: Object.fromEntries(tasks.map((t) => [t, handler(t)])),
      retryIntervalOverrides: Object.fromEntries(tasks.map((t) => [t, 0])),
    },
  });
  return { output: await execution.result, calls };
}

describe.each(IDENTITY_STORE_ERROR_PREFIXES)("AddMemberships under the %s error prefix", (prefix) => {
  const conflict = () => {
    throw awsError(`${prefix}.ConflictException`);
  };
  const notFound = () => {
    throw awsError(`${prefix}.ResourceNotFoundException`);
  };

  it("adds a membership with one call", async () => {
    const { output, calls } = await run({ AddMembership: [() => ({ MembershipId: "m-new" })] });
    expect(output).toEqual({ status: "SUCCEEDED", groupId: "g-readers", membershipId: "m-new" });
    expect(calls).toEqual(["AddMembership"]);
  });

  it("counts a duplicate membership as done, 'already a member', after one add and one read (no retry)", async () => {
    const { output, calls } = await run({
      AddMembership: [conflict],
      FindExistingMembership: [() => ({ MembershipId: "m-existing" })],
    });
    expect(output).toEqual({
      status: "SUCCEEDED",
      groupId: "g-readers",
      membershipId: "m-existing",
      note: ALREADY_A_MEMBER,
    });
    expect(calls).toEqual(["AddMembership", "FindExistingMembership"]);
  });

  it("retries the add when the conflict was a concurrent modification (the user is not a member)", async () => {
    const { output, calls } = await run({
      AddMembership: [conflict],
      FindExistingMembership: [notFound],
      AddMembershipAgain: [conflict, conflict, () => ({ MembershipId: "m-new" })],
    });
    expect(output).toEqual({ status: "SUCCEEDED", groupId: "g-readers", membershipId: "m-new" });
    expect(calls).toEqual([
      "AddMembership",
      "FindExistingMembership",
      "AddMembershipAgain",
      "AddMembershipAgain",
      "AddMembershipAgain",
    ]);
  });

  it("settles a conflict that outlasts the retries by a last read: a member by then is done", async () => {
    const { output, calls } = await run({
      AddMembership: [conflict],
      FindExistingMembership: [notFound],
      AddMembershipAgain: [conflict],
      ConfirmMembership: [() => ({ MembershipId: "m-raced" })],
    });
    expect(output).toMatchObject({ status: "SUCCEEDED", membershipId: "m-raced", note: ALREADY_A_MEMBER });
    // the first attempt and MaxAttempts retries
    expect(calls.filter((c) => c === "AddMembershipAgain")).toHaveLength(
      1 + (IDENTITY_STORE_RETRY.MaxAttempts ?? 3),
    );
    expect(calls.at(-1)).toBe("ConfirmMembership");
  });

  it("reports FAILED, with the error, when the add fails for another reason", async () => {
    const { output, calls } = await run({
      AddMembership: [
        () => {
          throw awsError(`${prefix}.AccessDeniedException`);
        },
      ],
    });
    expect(output).toEqual({
      status: "FAILED",
      groupId: "g-readers",
      error: {
        Error: `${prefix}.AccessDeniedException`,
        Cause: `${prefix}.AccessDeniedException (scripted)`,
      },
    });
    expect(calls).toEqual(["AddMembership"]);
  });
});

describe("AddMemberships in the user workflow", () => {
  it("runs this processor, whose first add never retries a conflict but reads whether the user is a member", () => {
    // Prepare
    const lambdaArn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
    const machine = userReconcileDefinition(
      Object.fromEntries(USER_RECONCILE_TASKS.map((t) => [t, lambdaArn(t)])) as never,
    );

    // Act
    const map = machine.States.AddMemberships;
    const states = membershipAdditionsProcessor().States;
    const add = states.AddMembership;
    const find = states.FindExistingMembership;

    // Assess
    expect(map).toMatchObject({ Type: "Map", ItemProcessor: membershipAdditionsProcessor() });
    if (add?.Type !== "Task" || find?.Type !== "Task")
      throw new Error("AddMembership and FindExistingMembership are Tasks");
    expect(add.Resource).toBe("arn:aws:states:::aws-sdk:identitystore:createGroupMembership");
    expect((add.Retry ?? []).flatMap((r) => r.ErrorEquals).filter((e) => e.includes("Conflict"))).toEqual([]);
    expect(add.Catch?.[0]).toEqual({
      ErrorEquals: IDENTITY_STORE_ERROR_PREFIXES.map((p) => `${p}.ConflictException`),
      ResultPath: "$.conflict",
      Next: "FindExistingMembership",
    });
    expect(find.Resource).toBe("arn:aws:states:::aws-sdk:identitystore:getGroupMembershipId");
  });
});
