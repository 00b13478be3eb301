import { describe, expect, it } from "vitest";
import { iamPolicyGrammar } from "../../../adapters/iam-policy-grammar.ts";
import { loadPolicy } from "../../../core/policy/load-policy.ts";
import { declaresContent } from "../../../core/policy/permission-set-content.ts";
import { errorsOf, ONE_RULE, yaml } from "./policy-test-helpers.ts";

/** A policy whose DeveloperAccess entry is `lines` (indented under it from line 4). */
function withDeveloperAccess(...lines: string[]): string {
  return yaml(
    "version: 1",
    "permissionSets:",
    "  DeveloperAccess:",
    ...lines.map((l) => `    ${l}`),
    ...ONE_RULE,
  );
}

const brief = (source: string, files: Record<string, string> = {}) => {
  const result = loadPolicy(source, "policy.yaml", {
    grammar: iamPolicyGrammar,
    readRelativeFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file '${path}'`);
      return text;
    },
  });
  return result.ok ? [] : result.errors.map((e) => [e.line, e.path, e.message, e.fix]);
};

describe("permission set content in the policy", () => {
  it("loads every content key, with the customer managed path defaulting to /", () => {
    const result = loadPolicy(
      withDeveloperAccess(
        "sessionDuration: PT4H",
        "description: Developers' day-to-day access",
        "managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]",
        "customerManagedPolicies: [{ name: team-boundary-helpers }, { name: deploy, path: /ci/ }]",
        "permissionsBoundary: { name: developer-boundary }",
        "relayState: https://console.aws.amazon.com/ec2/",
        "tags: { owner: platform }",
        "inlinePolicy:",
        "  Version: '2012-10-17'",
        "  Statement: [{ Effect: Allow, Action: 's3:GetObject', Resource: '*' }]",
      ),
      "policy.yaml",
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const set = result.policy.permissionSets.DeveloperAccess;
    expect(set?.customerManagedPolicies).toEqual([
      { name: "team-boundary-helpers", path: "/" },
      { name: "deploy", path: "/ci/" },
    ]);
    expect(set?.permissionsBoundary).toEqual({ name: "developer-boundary", path: "/" });
    expect(set === undefined ? false : declaresContent(set)).toBe(true);
    expect(result.policy.permissionSetDrift).toBe("report");
  });

  it("refuses a declared tag under the control prefix okta-aws-lifecycle:, naming the key and the fix", () => {
    const errors = brief(
      withDeveloperAccess('tags: { "okta-aws-lifecycle:assignable": "true", owner: platform }'),
    );
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.[1])).toContain("tags");
    expect(errors.flat().join(" ")).toContain("okta-aws-lifecycle:");
    expect(errors.flat().join(" ")).toContain("use another key");
  });

  it("an entry with only a session duration declares no content (it is only assigned)", () => {
    const result = loadPolicy(withDeveloperAccess("sessionDuration: PT4H"), "policy.yaml");
    expect(result.ok && declaresContent(result.policy.permissionSets.DeveloperAccess ?? {})).toBe(false);
  });

  it("reports IAM grammar errors of an inline policy at the offending line, through the IAM parser", () => {
    const errors = brief(
      withDeveloperAccess(
        "inlinePolicy:",
        "  Statement:",
        "    - Effect: Allow",
        "      Action: [s3:GetObject, not-an-action]",
        "      Resource: '*'",
        "    - Effect: Permit",
        "      Action: '*'",
        "      Resource: '*'",
        "      Principal: '*'",
      ),
    );
    expect(errors).toEqual([
      [
        7,
        "permissionSets.DeveloperAccess.inlinePolicy.Statement[0].Action[1]",
        "inline policy at Statement[0].Action[1]: Action must be a wildcard (*) or have 2 segments",
        expect.stringContaining("correct the IAM policy here"),
      ],
      [
        9,
        "permissionSets.DeveloperAccess.inlinePolicy.Statement[1].Effect",
        expect.stringContaining('exactly "Allow" or "Deny"'),
        expect.any(String),
      ],
      [
        12,
        "permissionSets.DeveloperAccess.inlinePolicy.Statement[1].Principal",
        expect.stringContaining("Principal is not allowed"),
        expect.any(String),
      ],
    ]);
  });

  it("refuses an inline policy over 10,240 non-whitespace characters", () => {
    const actions = Array.from({ length: 700 }, (_, i) => `s3:GetObjectNumber${i}`);
    const errors = brief(
      withDeveloperAccess(
        `inlinePolicy: ${JSON.stringify({ Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] })}`,
      ),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]?.[2]).toMatch(
      /^the inline policy has \d{5} non-whitespace characters; a permission set allows 10240/,
    );
  });

  it("refuses more than 10 managed policies, counting customer managed ones", () => {
    const arns = Array.from({ length: 8 }, (_, i) => `arn:aws:iam::aws:policy/Policy${i}`);
    const errors = brief(
      withDeveloperAccess(
        `managedPolicies: [${arns.join(", ")}]`,
        "customerManagedPolicies: [{ name: a }, { name: b }, { name: c }]",
      ),
    );
    expect(errors).toEqual([
      [
        4,
        "permissionSets.DeveloperAccess.managedPolicies",
        expect.stringContaining("attaches 11 managed policies"),
        expect.stringContaining("merge policies"),
      ],
    ]);
  });

  it("refuses a policy attached twice, and malformed ARNs, paths, names and durations with their fix", () => {
    const errors = brief(
      withDeveloperAccess(
        "sessionDuration: PT13H",
        "managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess, arn:aws:iam::aws:policy/ReadOnlyAccess, arn:aws:iam::123456789012:policy/Mine]",
        "customerManagedPolicies: [{ name: ok, path: team }]",
      ),
    );
    expect(errors.map(([line, path]) => [line, path])).toEqual([
      [4, "permissionSets.DeveloperAccess.sessionDuration"],
      [5, "permissionSets.DeveloperAccess.managedPolicies[2]"],
      [6, "permissionSets.DeveloperAccess.customerManagedPolicies[0].path"],
    ]);
    expect(errors[1]?.[3]).toContain("customer managed policies go under customerManagedPolicies");
    const duplicated = brief(
      withDeveloperAccess(
        "managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess, arn:aws:iam::aws:policy/ReadOnlyAccess]",
      ),
    );
    expect(duplicated).toEqual([
      [
        4,
        "permissionSets.DeveloperAccess.managedPolicies[1]",
        expect.stringContaining("listed twice"),
        expect.any(String),
      ],
    ]);
  });

  it("reads an inline policy file relative to the policy, JSON or YAML, and checks it", () => {
    const good = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }],
    });
    const result = loadPolicy(withDeveloperAccess("inlinePolicy: policies/dev.json"), "policy.yaml", {
      readRelativeFile: () => good,
    });
    expect(result.ok && result.policy.permissionSets.DeveloperAccess?.inlinePolicy).toEqual(JSON.parse(good));

    expect(
      brief(withDeveloperAccess("inlinePolicy: policies/dev.yaml"), {
        "policies/dev.yaml": "Statement:\n  - Effect: Allow\n    Action: s3\n    Resource: '*'\n",
      }),
    ).toEqual([
      [
        4,
        "permissionSets.DeveloperAccess.inlinePolicy",
        "policies/dev.yaml at Statement[0].Action: Action must be a wildcard (*) or have 2 segments",
        expect.stringContaining("in that file"),
      ],
    ]);
    expect(brief(withDeveloperAccess("inlinePolicy: policies/missing.json"))).toEqual([
      [
        4,
        "permissionSets.DeveloperAccess.inlinePolicy",
        expect.stringContaining("ENOENT"),
        expect.stringContaining("relative to the policy file"),
      ],
    ]);
    expect(
      brief(withDeveloperAccess("inlinePolicy: policies/list.json"), {
        "policies/list.json": "[1, 2]",
      })[0]?.[2],
    ).toContain("does not hold a policy document");
    const withoutReader = loadPolicy(withDeveloperAccess("inlinePolicy: policies/dev.json"), "policy.yaml");
    expect(withoutReader.ok ? [] : withoutReader.errors.map((e) => e.fix)).toEqual([
      "write the policy document under inlinePolicy instead of a file path",
    ]);
  });

  it("names the document itself, keys that do not belong, customer managed overflow and oversized files", () => {
    expect(brief(withDeveloperAccess("inlinePolicy: {}"))).toEqual([
      [
        4,
        "permissionSets.DeveloperAccess.inlinePolicy",
        "inline policy: Statement is required",
        expect.any(String),
      ],
    ]);
    expect(brief(withDeveloperAccess("inlinePolicy: { Statement: [], Foo: 1 }"))).toEqual([
      [
        4,
        "permissionSets.DeveloperAccess.inlinePolicy.Foo",
        "inline policy at Foo: Invalid key Foo",
        expect.any(String),
      ],
    ]);
    expect(brief(withDeveloperAccess("inlinePolicy: p.json"), { "p.json": "{}" })).toEqual([
      [4, "permissionSets.DeveloperAccess.inlinePolicy", "p.json: Statement is required", expect.any(String)],
    ]);
    const actions = Array.from({ length: 700 }, (_, i) => `s3:GetObjectNumber${i}`);
    const big = JSON.stringify({ Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] });
    expect(brief(withDeveloperAccess("inlinePolicy: big.json"), { "big.json": big })[0]?.[2]).toMatch(
      /^the inline policy in big.json has/,
    );
    const refs = Array.from({ length: 11 }, (_, i) => `{ name: p${i} }`);
    expect(
      brief(withDeveloperAccess(`customerManagedPolicies: [${refs.join(", ")}]`)).map(([line, path]) => [
        line,
        path,
      ]),
    ).toEqual([[4, "permissionSets.DeveloperAccess.customerManagedPolicies"]]);
  });

  it("reserves the pipeline's Sid prefix, in the policy and in a file", () => {
    expect(
      brief(
        withDeveloperAccess(
          "inlinePolicy: { Statement: { Sid: OktaAwsLifecycleMine, Effect: Allow, Action: 's3:*', Resource: '*' } }",
        ),
      ),
    ).toEqual([
      [
        4,
        "permissionSets.DeveloperAccess.inlinePolicy.Statement.Sid",
        "inline policy at Statement[0]: the Sid prefix OktaAwsLifecycle is reserved for the pipeline's revocation Denies",
        "rename the Sid so it does not start with OktaAwsLifecycle",
      ],
    ]);
    expect(
      brief(
        withDeveloperAccess(
          "inlinePolicy: { Statement: [{ Sid: OktaAwsLifecycleMine, Effect: Allow, Action: 's3:*', Resource: '*' }] }",
        ),
      ).map(([line, path]) => [line, path]),
    ).toEqual([[4, "permissionSets.DeveloperAccess.inlinePolicy.Statement[0].Sid"]]);
    const file = JSON.stringify({
      Statement: [{ Sid: "OktaAwsLifecycleX", Effect: "Deny", Action: "*", Resource: "*" }],
    });
    expect(brief(withDeveloperAccess("inlinePolicy: d.json"), { "d.json": file })[0]?.[2]).toBe(
      "d.json at Statement[0]: the Sid prefix OktaAwsLifecycle is reserved for the pipeline's revocation Denies",
    );
  });

  it("refuses a permissionSetDrift other than report or repair", () => {
    const errors = brief(
      yaml("version: 1", "permissionSetDrift: fix", "permissionSets:", "  DeveloperAccess: {}", ...ONE_RULE),
    );
    expect(errors).toEqual([
      [
        2,
        "permissionSetDrift",
        "expected one of report, repair, found 'fix'",
        "set it to one of report, repair",
      ],
    ]);
  });

  it("keeps errorsOf's contract for content errors", () => {
    expect(errorsOf(withDeveloperAccess("relayState: ''"))[0]?.path).toBe(
      "permissionSets.DeveloperAccess.relayState",
    );
  });
});

describe("permission set content without the IAM grammar port (deployed runs)", () => {
  it("leaves the grammar to Identity Center but still checks size and the reserved Sid prefix", () => {
    // Prepare: an Effect IAM's grammar refuses, and a statement with the pipeline's Sid prefix
    const source = withDeveloperAccess(
      "inlinePolicy:",
      "  Version: '2012-10-17'",
      "  Statement:",
      "    - Sid: OktaAwsLifecycleMine",
      "      Effect: Permit",
      "      Action: s3:GetObject",
      "      Resource: '*'",
    );

    // Act
    const withoutGrammar = loadPolicy(source, "policy.yaml");
    const withGrammar = loadPolicy(source, "policy.yaml", { grammar: iamPolicyGrammar });

    // Assess
    const messages = (r: ReturnType<typeof loadPolicy>) => (r.ok ? [] : r.errors.map((e) => e.message));
    expect(messages(withoutGrammar)).toEqual([
      expect.stringContaining("reserved for the pipeline's revocation Denies"),
    ]);
    expect(messages(withGrammar)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('exactly "Allow" or "Deny"'),
        expect.stringContaining("reserved for the pipeline's revocation Denies"),
      ]),
    );
  });
});
