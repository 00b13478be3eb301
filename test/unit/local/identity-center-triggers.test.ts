/**
 * The Identity Center triggers (workflows/identity-center-triggers.ts) against CloudTrail-shaped events
 * (test/fixtures/aws/sso-*.eventbridge.json and variants of them), through the local event bus's pattern
 * matcher and input transformer: a change by anyone but the tool starts exactly one trigger, with an
 * input the estate workflow accepts and that names the scope; the tool's own role sessions, failed
 * calls and other targets start nothing.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileEventPattern } from "../../../local/runtime/event-pattern.ts";
import { compileInputTransformer } from "../../../local/runtime/input-transformer.ts";
import { parseEstateRunInput } from "../../../usecases/reconcile-estate/run-input.ts";
import { estateEventTriggers } from "../../../workflows/estate-triggers.ts";
import {
  identityCenterForwardingPatterns,
  SSO_ASSIGNMENT_EVENTS,
  SSO_PERMISSION_SET_EVENTS,
} from "../../../workflows/identity-center-triggers.ts";

type Event = { id: string; detail: Record<string, unknown> } & Record<string, unknown>;
const fixture = (name: string): Event =>
  JSON.parse(readFileSync(new URL(`../../fixtures/aws/${name}.eventbridge.json`, import.meta.url), "utf8"));

const TOOL_ROLE_PATH = "/okta-aws-lifecycle/prod/";
// The default bus's rules: the forwarded (`-fwd`) ones sit on the lifecycle bus (tested below).
const allTriggers = estateEventTriggers(undefined, { toolRolePath: TOOL_ROLE_PATH });
const triggers = allTriggers
  .filter((t) => t.bus === "default")
  .map((t) => ({
    ...t,
    matches: compileEventPattern(t.pattern),
    transform: compileInputTransformer({ inputPathsMap: t.inputPathsMap, inputTemplate: t.inputTemplate }),
  }));
const matching = (event: unknown) => triggers.filter((t) => t.matches(event)).map((t) => t.key);
const inputOf = (event: unknown) => {
  const [trigger, ...more] = triggers.filter((t) => t.matches(event));
  if (!trigger || more.length > 0) throw new Error(`expected one trigger, got ${matching(event)}`);
  return parseEstateRunInput(JSON.parse(trigger.transform(event)));
};
const withDetail = (event: Event, detail: Record<string, unknown>): Event => ({
  ...event,
  detail: { ...event.detail, ...detail },
});
const roleSession = (roleArn: string) => ({
  userIdentity: {
    type: "AssumedRole",
    arn: `arn:aws:sts::123456789012:assumed-role/${roleArn.split("/").pop()}/session`,
    sessionContext: { sessionIssuer: { type: "Role", arn: roleArn } },
  },
});
const iamUser = { userIdentity: { type: "IAMUser", arn: "arn:aws:iam::123456789012:user/alice" } };

const assignment = fixture("sso-create-account-assignment");
const created = fixture("sso-create-permission-set");
const ASSIGNED_SET = "arn:aws:sso:::permissionSet/ssoins-72230000aaaa0001/ps-ae5d0000bbbb0001";

describe("Identity Center triggers against CloudTrail-shaped events", () => {
  it("an assignment made through someone's Identity Center role starts a run scoped to its pair", () => {
    // Act
    const input = inputOf(assignment);

    // Assess
    expect(matching(assignment)).toEqual(["sso-assign-role"]);
    expect(input).toEqual({
      runId: `sso-${assignment.id}`,
      trigger: {
        type: "identity-center-event",
        eventName: "CreateAccountAssignment",
        accountId: "210987654321",
        permissionSetArn: ASSIGNED_SET,
      },
    });
  });

  it.each(SSO_ASSIGNMENT_EVENTS)("%s by an IAM user starts the run for its pair", (eventName) => {
    // Prepare
    const event = withDetail(assignment, { eventName, ...iamUser });

    // Act / Assess
    expect(matching(event)).toEqual(["sso-assign"]);
    expect(inputOf(event).trigger).toMatchObject({ eventName, accountId: "210987654321" });
  });

  it("a permission set created by the root user starts a run scoped to the new set (ARN from the response)", () => {
    // Act
    const input = inputOf(created);

    // Assess
    expect(matching(created)).toEqual(["sso-set"]);
    expect(input.trigger).toEqual({
      type: "identity-center-event",
      eventName: "CreatePermissionSet",
      permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-72230000aaaa0001/ps-ae5d0000bbbb0002",
    });
  });

  it.each(SSO_PERMISSION_SET_EVENTS.filter((e) => e !== "CreatePermissionSet"))(
    "%s starts a run scoped to the permission set named in the request",
    (eventName) => {
      // Prepare: an edit through an Identity Center role, which names the set in its request
      const event = withDetail(assignment, {
        eventName,
        requestParameters: {
          instanceArn: "arn:aws:sso:::instance/ssoins-72230000aaaa0001",
          permissionSetArn: ASSIGNED_SET,
        },
        responseElements: null,
      });

      // Act / Assess
      expect(matching(event)).toEqual(["sso-set-role"]);
      expect(inputOf(event).trigger).toEqual({
        type: "identity-center-event",
        eventName,
        permissionSetArn: ASSIGNED_SET,
      });
    },
  );

  it("ignores the tool's own role sessions, in any account and partition", () => {
    // Prepare
    const tool = (arn: string) => withDetail(assignment, roleSession(arn));

    // Act / Assess
    expect(
      matching(tool("arn:aws:iam::123456789012:role/okta-aws-lifecycle/prod/EstateApplyBatchRole-1a2b3c")),
    ).toEqual([]);
    expect(
      matching(tool("arn:aws-us-gov:iam::210987654321:role/okta-aws-lifecycle/prod/ManagementComponent")),
    ).toEqual([]);
    expect(
      matching(
        withDetail(created, {
          ...roleSession("arn:aws:iam::123456789012:role/okta-aws-lifecycle/prod/UserDenyRole-9z"),
        }),
      ),
    ).toEqual([]);
    // Another stage's roles, and a look-alike path, are someone else
    expect(matching(tool("arn:aws:iam::123456789012:role/okta-aws-lifecycle/staging/EstateRole"))).toEqual([
      "sso-assign-role",
    ]);
    expect(matching(tool("arn:aws:iam::123456789012:role/okta-aws-lifecycle-prod/Admin"))).toEqual([
      "sso-assign-role",
    ]);
  });

  it("ignores failed calls, other targets, other sources and read-only calls", () => {
    expect(
      matching(withDetail(assignment, { errorCode: "ConflictException", errorMessage: "busy" })),
    ).toEqual([]);
    expect(
      matching(
        withDetail(assignment, {
          requestParameters: { ...(assignment.detail.requestParameters as object), targetType: "AWS_OU" },
        }),
      ),
    ).toEqual([]);
    expect(matching({ ...assignment, source: "aws.organizations" })).toEqual([]);
    expect(matching(withDetail(assignment, { eventName: "ListAccountAssignments" }))).toEqual([]);
    expect(matching(withDetail(assignment, { eventSource: "sso-directory.amazonaws.com" }))).toEqual([]);
  });

  it("are deployed on the default bus of the home region, where CloudTrail delivers Identity Center's events", () => {
    const sso = estateEventTriggers().filter((t) => t.key.startsWith("sso-"));
    expect(sso.map((t) => [t.key, t.bus])).toEqual([
      ["sso-assign", "default"],
      ["sso-assign-role", "default"],
      ["sso-set", "default"],
      ["sso-set-role", "default"],
      ["sso-assign-fwd", "lifecycle"],
      ["sso-set-fwd", "lifecycle"],
    ]);
    // Without a stage's path, every stage of the app counts as the tool
    const anyStage = compileEventPattern(sso[1]?.pattern ?? {});
    expect(
      anyStage(withDetail(assignment, roleSession("arn:aws:iam::1:role/okta-aws-lifecycle/dev/X"))),
    ).toBe(false);
  });
});

describe("the management account's Identity Center events (delegated administrator)", () => {
  // The management component's two default-bus rules, then the lifecycle bus's -fwd rules.
  const patterns = identityCenterForwardingPatterns(TOOL_ROLE_PATH);
  const forwards = [compileEventPattern(patterns.other), compileEventPattern(patterns.role)];
  const forwarded = (event: unknown) => forwards.filter((matches) => matches(event)).length;
  const lifecycle = allTriggers
    .filter((t) => t.bus === "lifecycle" && t.key.startsWith("sso-"))
    .map((t) => ({
      ...t,
      matches: compileEventPattern(t.pattern),
      transform: compileInputTransformer({ inputPathsMap: t.inputPathsMap, inputTemplate: t.inputTemplate }),
    }));
  const onLifecycleBus = (event: unknown) => {
    const hits = lifecycle.filter((t) => t.matches(event));
    return {
      keys: hits.map((t) => t.key),
      inputs: hits.map((t) => parseEstateRunInput(JSON.parse(t.transform(event)))),
    };
  };

  it("forwards someone's assignment once, and the lifecycle bus starts the run scoped to its pair", () => {
    // Act
    const count = forwarded(assignment);
    const { keys, inputs } = onLifecycleBus(assignment);

    // Assess
    expect(count).toBe(1);
    expect(keys).toEqual(["sso-assign-fwd"]);
    expect(inputs).toEqual([
      {
        runId: `sso-${assignment.id}`,
        trigger: {
          type: "identity-center-event",
          eventName: "CreateAccountAssignment",
          accountId: (assignment.detail.requestParameters as { targetId: string }).targetId,
          permissionSetArn: ASSIGNED_SET,
        },
      },
    ]);
  });

  it("forwards an IAM user's permission-set edit once, judged for that set alone", () => {
    // Prepare
    const event = withDetail(created, iamUser);

    // Act / Assess
    expect(forwarded(event)).toBe(1);
    expect(onLifecycleBus(event).keys).toEqual(["sso-set-fwd"]);
    expect(onLifecycleBus(event).inputs[0]?.trigger).toMatchObject({ type: "identity-center-event" });
  });

  it("forwards neither the management component's own calls, nor failed or read-only calls", () => {
    const component = withDetail(
      assignment,
      roleSession(
        "arn:aws:iam::999988887777:role/okta-aws-lifecycle/prod/okta-aws-lifecycle-prod-management-component",
      ),
    );
    expect(forwarded(component)).toBe(0);
    expect(forwarded(withDetail(assignment, { errorCode: "ConflictException" }))).toBe(0);
    expect(forwarded(withDetail(assignment, { eventName: "ListAccountAssignments" }))).toBe(0);
    expect(forwarded({ ...assignment, source: "aws.organizations" })).toBe(0);
    // Another stage's role in the management account is someone else
    expect(
      forwarded(
        withDetail(assignment, roleSession("arn:aws:iam::999988887777:role/okta-aws-lifecycle/dev/X")),
      ),
    ).toBe(1);
  });

  it("forwards every event a default-bus Identity Center rule matches, so nothing is judged only there", () => {
    const judged = allTriggers.filter((t) => t.bus === "default" && t.key.startsWith("sso-"));
    const names = (pattern: Record<string, unknown>) => (pattern.detail as { eventName: string[] }).eventName;
    const forwardedNames = new Set(names(patterns.other));
    expect(new Set(names(patterns.role))).toEqual(forwardedNames);
    expect(judged.flatMap((t) => names(t.pattern)).filter((n) => !forwardedNames.has(n))).toEqual([]);
  });
});
