import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { registerPolicy, runPolicyValidate, validatePolicyText } from "../../../cli/commands/policy.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const EXAMPLE = path.join(ROOT, "examples/policy.yaml");

const BROKEN = [
  "version: 1",
  "permissionSets:",
  "  ReadOnly: {}",
  "rules:",
  "  - name: devs",
  "    group: aws-developers",
  "    permissionSet: ReadOnyl",
  "    targets:",
  '      accounts: ["12345"]',
  "",
].join("\n");

function writeTemp(name: string, content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "policy-")), name);
  writeFileSync(file, content);
  return file;
}

/** A minimal valid policy with extra top-level YAML appended. */
function policyWith(...extra: string[]): string {
  return [
    "version: 1",
    "permissionSets: { ReadOnly: {} }",
    "rules:",
    "  - { name: readers, group: aws-readonly, permissionSet: ReadOnly, targets: { ous: [r-ab12] } }",
    ...extra,
    "",
  ].join("\n");
}

describe("runPolicyValidate", () => {
  it("summarizes the example policy and exits 0", async () => {
    // Act
    const output = await runPolicyValidate(EXAMPLE);

    // Assess
    expect(output).toEqual({
      exitCode: 0,
      stderr: "",
      stdout: [
        `${EXAMPLE}: valid`,
        "  rules:            9 for 7 Okta group(s), 1 named by id",
        "  permission sets:  5 (ReadOnly, DeveloperAccess, PlatformAdmin, BillingViewer, SecurityAudit)",
        "  ownership:        declared (only the group/permission-set pairs named in rules are managed; the rest is reported)",
        "                    direct user assignments: report; membership sync: off",
        "  revocation:       Deny in SCPs (inline in management account 123456789012), held PT12H",
        "  guards:           at most 25 deletions and 10% of managed assignments per run; abort on an empty Okta group: yes",
        "",
      ].join("\n"),
    });
  });

  it("prints each error like a compiler, with its fix, and exits 1", async () => {
    // Prepare
    const file = writeTemp("broken.yaml", BROKEN);

    // Act
    const output = await runPolicyValidate(file);

    // Assess
    expect(output).toEqual({
      exitCode: 1,
      stderr: "",
      stdout: [
        `${file}:9:18  rules[0].targets.accounts[0]  malformed AWS account id '12345'`,
        '    fix: an AWS account id is exactly 12 digits, quoted in YAML (e.g. "111111111111")',
        "",
        `1 error in ${file}`,
        "",
      ].join("\n"),
    });
  });

  it("stops at schema errors: the semantic checks wait for a well-formed policy", () => {
    // Act
    const output = validatePolicyText(
      BROKEN.replace('["12345"]', '["123456789012"]').replace("version: 1", "version: 2"),
      "p.yaml",
    );

    // Assess
    expect(output.exitCode).toBe(1);
    expect(output.stdout).toBe(
      [
        "p.yaml:1:10  version  expected 1, found the number 2",
        "    fix: set it to 1",
        "",
        "1 error in p.yaml",
        "",
      ].join("\n"),
    );
  });

  it("reports semantic errors once the file is well-formed", () => {
    // Act
    const output = validatePolicyText(BROKEN.replace('["12345"]', '["123456789012"]'), "p.yaml");

    // Assess
    expect(output.stdout).toBe(
      [
        "p.yaml:7:20  rules[0].permissionSet  unknown permission set 'ReadOnyl'; declared: ReadOnly",
        "    fix: declare it under permissionSets or fix the name (did you mean 'ReadOnly'?)",
        "",
        "1 error in p.yaml",
        "",
      ].join("\n"),
    );
  });

  it("prints the plural for several errors", () => {
    // Act
    const output = validatePolicyText("version: 2\n", "p.yaml");

    // Assess
    expect(output.stdout.endsWith("\n3 errors in p.yaml\n")).toBe(true);
  });

  it("says when the file does not exist, exit 1", async () => {
    // Act
    const output = await runPolicyValidate("no/such/policy.yaml");

    // Assess
    expect(output).toEqual({
      stdout: "",
      stderr: "policy validate: cannot read no/such/policy.yaml: no such file\n",
      exitCode: 1,
    });
  });

  it("says when the path is a directory", async () => {
    // Act
    const output = await runPolicyValidate(ROOT);

    // Assess
    expect(output.stderr).toBe(`policy validate: cannot read ${ROOT}: it is a directory, not a file\n`);
    expect(output.exitCode).toBe(1);
  });

  it("passes any other read failure through", async () => {
    // Act
    const output = await runPolicyValidate("policy.yaml", {
      read: async () => {
        throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
      },
    });

    // Assess
    expect(output.stderr).toBe("policy validate: cannot read policy.yaml: EACCES: permission denied\n");
  });

  it("reads standard input for - and names it <stdin>", async () => {
    // Act
    const output = await runPolicyValidate("-", {
      read: async (file) => (file === "-" ? "version: 2\n" : ""),
    });

    // Assess
    expect(output.stdout).toContain("<stdin>:1:10  version  expected 1, found the number 2");
  });

  it("describes the other ownership scopes, inline revocation and no management account", () => {
    // Act
    const scoped = validatePolicyText(
      policyWith("ownership: { scope: permission-sets, membershipSync: true }"),
      "p.yaml",
    );
    const all = validatePolicyText(
      policyWith(
        "ownership: { scope: all, directUserAssignments: delete }",
        "revocation: { method: inline, hold: PT1H }",
      ),
      "p.yaml",
    );
    const plain = validatePolicyText(policyWith("guards: { abortOnEmptyGroup: false }"), "p.yaml");

    // Assess
    expect(scoped.stdout).toContain(
      "  ownership:        permission-sets (every group assignment of a declared permission set is managed)\n" +
        "                    direct user assignments: report; membership sync: on\n",
    );
    expect(all.stdout).toContain(
      "  ownership:        all (every group assignment in the instance is managed)\n",
    );
    expect(all.stdout).toContain("direct user assignments: delete;");
    expect(all.stdout).toContain("  revocation:       Deny in permission-set inline policies, held PT1H\n");
    expect(plain.stdout).toContain("  revocation:       Deny in SCPs, held PT12H\n");
    expect(plain.stdout).toContain("  rules:            1 for 1 Okta group(s), 0 named by id\n");
    expect(plain.stdout).toContain(
      "  guards:           at most 50 deletions and 20% of managed assignments per run; abort on an empty Okta group: no\n",
    );
  });
});

describe("registerPolicy", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it("wires `policy validate FILE` into a program and sets the exit code", async () => {
    // Prepare
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const program = new Command().exitOverride();
    registerPolicy(program);

    // Act
    await program.parseAsync(["policy", "validate", writeTemp("broken.yaml", BROKEN)], { from: "user" });

    // Assess
    expect(process.exitCode).toBe(1);
    expect(String(stdout.mock.calls[0]?.[0])).toContain("malformed AWS account id '12345'");
  });

  it("runs from the command line: exit 0 for the example, 1 for a broken file", () => {
    // Prepare
    const bin = path.join(ROOT, "cli/bin.js");
    const run = (file: string) => {
      try {
        return {
          stdout: execFileSync(process.execPath, [bin, "policy", "validate", file], { encoding: "utf8" }),
          status: 0,
        };
      } catch (error) {
        const failed = error as { stdout: string; status: number };
        return { stdout: failed.stdout, status: failed.status };
      }
    };

    // Act
    const good = run(EXAMPLE);
    const bad = run(writeTemp("broken.yaml", BROKEN));

    // Assess
    expect(good).toMatchObject({ status: 0, stdout: expect.stringContaining(": valid\n") });
    expect(bad).toMatchObject({
      status: 1,
      stdout: expect.stringContaining(":9:18  rules[0].targets.accounts[0]"),
    });
  });
});
