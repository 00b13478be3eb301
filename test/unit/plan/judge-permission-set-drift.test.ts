import { describe, expect, it } from "vitest";
import { judgePermissionSetDrift } from "../../../core/plan/judge-permission-set-drift.ts";
import type { ObservedPermissionSetContent } from "../../../core/plan/permission-set-content.ts";
import type { PolicyPermissionSet } from "../../../core/policy/schema.ts";
import { denyStatement } from "../../../core/revocation/deny-statements.ts";

const denyStatementFor = (userId: string) =>
  denyStatement({ StringEquals: { "identitystore:userId": [userId] } });

const READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const S3_READ = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["s3:List*", "s3:GetObject"], Resource: "*" }],
};

/** A permission set as the policy declares it: defaults as the schema gives them, then `content`. */
function declared(content: Partial<PolicyPermissionSet>): PolicyPermissionSet {
  return { sessionDuration: "PT1H", privileged: false, ...content } as PolicyPermissionSet;
}

/** What Identity Center holds for a set that matches `declared(...)` of the same content. */
function observed(content: Partial<ObservedPermissionSetContent> = {}): ObservedPermissionSetContent {
  return {
    description: null,
    sessionDuration: "PT1H",
    relayState: null,
    managedPolicyArns: [],
    customerManagedPolicies: [],
    inlinePolicy: null,
    permissionsBoundary: null,
    tags: {},
    ...content,
  };
}

describe("judgePermissionSetDrift", () => {
  it("a permission set as declared has not drifted, whatever the key, list or whitespace order", () => {
    const judgement = judgePermissionSetDrift(
      declared({
        description: "Developers",
        sessionDuration: "PT8H",
        relayState: "https://console.aws.amazon.com/",
        managedPolicies: [READ_ONLY, ADMIN],
        customerManagedPolicies: [
          { name: "zeta", path: "/" },
          { name: "deploy", path: "/ci/" },
          { name: "alpha", path: "/" },
        ],
        inlinePolicy: S3_READ,
        permissionsBoundary: { name: "boundary", path: "/" },
        tags: { owner: "platform", tier: "1" },
      }),
      observed({
        description: "Developers",
        sessionDuration: "PT480M",
        relayState: "https://console.aws.amazon.com/",
        managedPolicyArns: [ADMIN, READ_ONLY],
        customerManagedPolicies: [
          { name: "alpha", path: "/" },
          { name: "zeta", path: "/" },
          { name: "deploy", path: "/ci/" },
        ],
        inlinePolicy: `{ "Statement": { "Resource": "*", "Action": ["s3:GetObject", "s3:List*"], "Effect": "Allow" },\n "Version": "2012-10-17" }`,
        permissionsBoundary: { customerManagedPolicy: { name: "boundary", path: "/" } },
        tags: { tier: "1", owner: "platform" },
      }),
    );
    expect(judgement).toEqual({
      drifted: false,
      fields: [],
      diff: "",
      repair: {
        attachManagedPolicies: [],
        detachManagedPolicies: [],
        attachCustomerManagedPolicies: [],
        detachCustomerManagedPolicies: [],
      },
    });
  });

  it("the pipeline's revocation Denies in the inline policy are not drift, and a repair keeps them", () => {
    const deny = denyStatementFor("u-leaver");
    const consoleEdit = {
      ...S3_READ,
      Statement: [...S3_READ.Statement, { Effect: "Allow", Action: "iam:*", Resource: "*" }, deny],
    };
    expect(
      judgePermissionSetDrift(
        declared({ inlinePolicy: S3_READ }),
        observed({ inlinePolicy: JSON.stringify({ ...S3_READ, Statement: [...S3_READ.Statement, deny] }) }),
      ).drifted,
    ).toBe(false);

    const judgement = judgePermissionSetDrift(
      declared({ inlinePolicy: S3_READ }),
      observed({ inlinePolicy: JSON.stringify(consoleEdit) }),
    );
    expect(judgement.fields).toEqual(["inlinePolicy"]);
    expect(judgement.diff).toContain('+      "Action": [\n+        "iam:*"\n+      ],');
    expect(judgement.diff).not.toContain("u-leaver");
    const written = judgement.repair.inlinePolicy;
    expect(written !== undefined && "put" in written && JSON.parse(written.put)).toEqual({
      ...S3_READ,
      Statement: [...S3_READ.Statement, deny],
    });
  });

  it("an inline policy holding only the pipeline's Denies matches a declared empty one; a customer statement there is drift, repaired by a delete", () => {
    const deny = denyStatementFor("u-leaver");
    const empty = declared({ inlinePolicy: { Statement: [] } });
    expect(
      judgePermissionSetDrift(
        empty,
        observed({ inlinePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [deny] }) }),
      ).drifted,
    ).toBe(false);
    expect(judgePermissionSetDrift(empty, observed({ inlinePolicy: "" })).drifted).toBe(false);
    const added = judgePermissionSetDrift(empty, observed({ inlinePolicy: JSON.stringify(S3_READ) }));
    expect(added.repair.inlinePolicy).toEqual({ delete: true });
    expect(added.diff.split("\n").slice(0, 4)).toEqual([
      "--- declared (policy)",
      "+++ observed (Identity Center)",
      "@@ inlinePolicy @@",
      "+{",
    ]);
  });

  it("an inline policy that is not JSON shows as text and is replaced", () => {
    const judgement = judgePermissionSetDrift(
      declared({ inlinePolicy: S3_READ }),
      observed({ inlinePolicy: "not json" }),
    );
    expect(judgement.diff).toContain("+not json");
    expect(judgement.repair.inlinePolicy).toEqual({ put: JSON.stringify(S3_READ) });
    expect(
      judgePermissionSetDrift(declared({ inlinePolicy: S3_READ }), observed({ inlinePolicy: "[1]" })).diff,
    ).toContain("+[1]");
  });

  it("a declared policy without Version matches the policy written with it; one without Statement is empty", () => {
    const { Version: _, ...unversioned } = S3_READ;
    expect(
      judgePermissionSetDrift(
        declared({ inlinePolicy: unversioned }),
        observed({ inlinePolicy: JSON.stringify(S3_READ) }),
      ).drifted,
    ).toBe(false);
    const versionOnly = judgePermissionSetDrift(
      declared({ inlinePolicy: S3_READ }),
      observed({ inlinePolicy: '{"Version":"2012-10-17"}' }),
    );
    expect(versionOnly.diff).toContain('-  "Statement": [');
    const oddStatement = judgePermissionSetDrift(
      declared({ inlinePolicy: S3_READ }),
      observed({ inlinePolicy: '{"Statement":["x"]}' }),
    );
    expect(oddStatement.diff).toContain('+    "x"');
  });

  it("lists managed and customer managed policies to attach and detach, with the diff of the lists", () => {
    const judgement = judgePermissionSetDrift(
      declared({ managedPolicies: [READ_ONLY], customerManagedPolicies: [{ name: "deploy", path: "/ci/" }] }),
      observed({ managedPolicyArns: [ADMIN], customerManagedPolicies: [{ name: "deploy", path: "/" }] }),
    );
    expect(judgement.fields).toEqual(["managedPolicies", "customerManagedPolicies"]);
    expect(judgement.diff).toBe(
      [
        "--- declared (policy)",
        "+++ observed (Identity Center)",
        "@@ managedPolicies @@",
        `-${READ_ONLY}`,
        `+${ADMIN}`,
        "@@ customerManagedPolicies @@",
        "-/ci/deploy",
        "+/deploy",
      ].join("\n"),
    );
    expect(judgement.repair).toMatchObject({
      attachManagedPolicies: [READ_ONLY],
      detachManagedPolicies: [ADMIN],
      attachCustomerManagedPolicies: [{ name: "deploy", path: "/ci/" }],
      detachCustomerManagedPolicies: [{ name: "deploy", path: "/" }],
    });
  });

  it("control tags (the tool's ownership tag, an administrator's assignable tag) are neither drift nor removed", () => {
    const owned = {
      "okta-aws-lifecycle:managed": "true",
      "okta-aws-lifecycle:assignable": "true",
      "okta-aws-lifecycle:management-account": "true",
    };
    const asDeclared = judgePermissionSetDrift(
      declared({ tags: { owner: "platform" } }),
      observed({ tags: { owner: "platform", ...owned } }),
    );
    expect(asDeclared.drifted).toBe(false);
    expect(asDeclared.repair.tags).toBeUndefined();
    const edited = judgePermissionSetDrift(
      declared({ tags: { owner: "platform" } }),
      observed({ tags: { owner: "someone", extra: "x", ...owned } }),
    );
    expect(edited.fields).toEqual(["tags"]);
    expect(edited.repair.tags).toEqual({ set: { owner: "platform" }, remove: ["extra"] });
    expect(edited.diff).not.toContain("okta-aws-lifecycle:");
  });

  it("repairs the session duration, description, relay state, boundary and tags", () => {
    const judgement = judgePermissionSetDrift(
      declared({
        sessionDuration: "PT4H",
        description: "Ops",
        relayState: "https://x.example/",
        permissionsBoundary: READ_ONLY,
        tags: { owner: "platform", tier: "1" },
      }),
      observed({ sessionDuration: "PT12H", tags: { owner: "someone", extra: "x", tier: "1" } }),
    );
    expect(judgement.fields).toEqual([
      "description",
      "sessionDuration",
      "relayState",
      "permissionsBoundary",
      "tags",
    ]);
    expect(judgement.repair.update).toEqual({
      sessionDuration: "PT4H",
      description: "Ops",
      relayState: "https://x.example/",
    });
    expect(judgement.repair.permissionsBoundary).toEqual({ put: { managedPolicyArn: READ_ONLY } });
    expect(judgement.repair.tags).toEqual({ set: { owner: "platform" }, remove: ["extra"] });
    expect(judgement.diff).toContain(
      "@@ permissionsBoundary @@\n-arn:aws:iam::aws:policy/ReadOnlyAccess\n+(none)",
    );

    const onlyDuration = judgePermissionSetDrift(
      declared({ managedPolicies: [] }),
      observed({ sessionDuration: "PT2H" }),
    );
    expect(onlyDuration.repair.update).toEqual({ sessionDuration: "PT1H" });
    const boundaryRemoved = judgePermissionSetDrift(
      declared({ permissionsBoundary: { name: "b", path: "/" } }),
      observed({ permissionsBoundary: { managedPolicyArn: ADMIN } }),
    );
    expect(boundaryRemoved.diff).toContain(
      "-customer managed /b\n+arn:aws:iam::aws:policy/AdministratorAccess",
    );
  });

  it("owns only what the policy declares: undeclared keys are neither drift nor repaired", () => {
    const judgement = judgePermissionSetDrift(
      declared({ managedPolicies: [READ_ONLY] }),
      observed({
        managedPolicyArns: [READ_ONLY],
        inlinePolicy: JSON.stringify(S3_READ),
        description: "anything",
        relayState: "https://x/",
        tags: { a: "b" },
        permissionsBoundary: { managedPolicyArn: ADMIN },
        customerManagedPolicies: [{ name: "c", path: "/" }],
      }),
    );
    expect(judgement.drifted).toBe(false);
  });

  it("refuses an inline policy file the loader did not resolve", () => {
    expect(() => judgePermissionSetDrift(declared({ inlinePolicy: "dev.json" }), observed())).toThrow(
      /was not resolved/,
    );
  });
});
