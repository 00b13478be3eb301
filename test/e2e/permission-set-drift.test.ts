/**
 * Permission sets as code on the local stack, through the CLI (issue 18): the demo policy declares its
 * six permission sets in full and `plan` on the fresh stack finds nothing to change; a policy changing
 * one set's content (an AWS managed policy and an inline policy kept in a file next to the policy) is
 * written by `reconcile`, after which `plan` shows no permission-set change; an edit made
 * outside the tool (`aws sso-admin put-inline-policy-to-permission-set` against the emulator: the same
 * call through the SDK) shows up in `plan` as drift with a diff, and `reconcile` repairs it.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutInlinePolicyToPermissionSetCommand, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseDocument } from "yaml";
import { buildProgram } from "../../cli/main.ts";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { demoPolicyYaml } from "../../local/estate/demo-policy.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { startTestStack } from "../support/test-stack.ts";

const SET = "BillingViewer";
const INLINE = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "ReadCostExplorer", Effect: "Allow", Action: ["ce:Get*", "ce:Describe*"], Resource: "*" },
  ],
};

let stack: LocalStack;
let dir: string;
let endpoints: string;
let policyFile: string;

/** Runs the CLI; returns what it printed and its exit code. */
async function cli(...args: string[]): Promise<{ out: string; code: number }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...parts) => void lines.push(parts.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...parts) => void lines.push(parts.join(" ")));
  process.exitCode = 0;
  try {
    const program = await buildProgram(args);
    await program.parseAsync(["node", "okta-aws-lifecycle", ...args, "--endpoints", endpoints]);
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: lines.join("\n"), code };
}

beforeAll(async () => {
  stack = await startTestStack(randomHookSecret());
  dir = await mkdtemp(join(tmpdir(), "oal-ps-drift-"));
  endpoints = join(dir, "endpoints.json");
  await writeFile(endpoints, JSON.stringify(stack.endpoints));
  const doc = parseDocument(demoPolicyYaml());
  doc.set("permissionSetDrift", "repair");
  doc.setIn(["permissionSets", SET, "managedPolicies"], ["arn:aws:iam::aws:policy/job-function/Billing"]);
  doc.setIn(["permissionSets", SET, "inlinePolicy"], "policies/billing.json");
  await mkdir(join(dir, "policies"));
  await writeFile(join(dir, "policies/billing.json"), JSON.stringify(INLINE, null, 2));
  policyFile = join(dir, "policy.yaml");
  await writeFile(policyFile, doc.toString());
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("permission-set drift on the local stack", () => {
  it("plan on the fresh demo stack, whose policy declares all six permission sets in full, shows no permission-set change", async () => {
    const demoPolicy = join(dir, "demo-policy.yaml");
    await writeFile(demoPolicy, demoPolicyYaml());
    const plan = await cli("plan", "--policy", demoPolicy);
    expect(plan.out).toContain("Plan against the local stack");
    expect(plan.out).not.toContain("Permission sets:");
    expect(plan.out).not.toContain("permission-set-drift");
  }, 120_000);

  it("writes the declared content, shows no change after, and reports and repairs a console edit", async () => {
    const first = await cli("reconcile", "--policy", policyFile);
    expect(first.out).toContain(`Permission sets:\n  repair ${SET}: SUCCEEDED`);

    const quiet = await cli("plan", "--policy", policyFile);
    expect(quiet.out).not.toContain("Permission sets:");

    const permissionSetArn = stack.emulators.identityCenter
      .snapshot()
      .permissionSets.find((p) => p.name === SET)?.arn;
    const ssoAdmin = new SSOAdminClient(localClientConfig(stack.endpoints.aws.endpoint));
    await ssoAdmin.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn: stack.emulators.identityCenter.instanceArn,
        PermissionSetArn: permissionSetArn,
        InlinePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        }),
      }),
    );
    ssoAdmin.destroy();

    const drift = await cli("plan", "--policy", policyFile);
    expect(drift.code).toBe(2);
    expect(drift.out).toContain(`  repair ${SET} (planned)`);
    expect(drift.out).toContain(
      `  permission-set-drift: permission set '${SET}' differs from the policy in inlinePolicy`,
    );
    expect(drift.out).toContain('    -        "ce:Describe*",');
    expect(drift.out).toContain('    +        "*"');

    const repaired = await cli("reconcile", "--policy", policyFile);
    expect(repaired.out).toContain(`  repair ${SET}: SUCCEEDED`);
    const inline = stack.emulators.identityCenter
      .snapshot()
      .permissionSets.find((p) => p.name === SET)?.inlinePolicy;
    expect(JSON.parse(inline ?? "{}")).toEqual(INLINE);
    expect((await cli("plan", "--policy", policyFile)).out).not.toContain("Permission sets:");
  }, 120_000);
});
