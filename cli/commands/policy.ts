import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { iamPolicyGrammar } from "../../adapters/iam-policy-grammar.ts";
import { groupKey } from "../../core/policy/group-ref.ts";
import { loadPolicy } from "../../core/policy/load-policy.ts";
import type { PolicyError } from "../../core/policy/policy-error.ts";
import type { Policy } from "../../core/policy/schema.ts";
import { readInput } from "../io.ts";

/** Options of `okta-aws-lifecycle policy validate`. */
export interface PolicyValidateOptions {
  /** Reads the file (or standard input for `-`); injectable for tests. @default readInput */
  read?: (fileOrDash: string) => Promise<string>;
}

/** What the command prints and its exit code. */
export interface PolicyCommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * `policy validate FILE|-`: prints each error like a compiler (`FILE:LINE:COL  path  message`, then
 * the fix) and exits 1, or prints a short summary of the valid policy and exits 0. A file that cannot
 * be read is reported on standard error, exit 1.
 */
export async function runPolicyValidate(
  fileOrDash: string,
  options: PolicyValidateOptions = {},
): Promise<PolicyCommandOutput> {
  const fileName = fileOrDash === "-" ? "<stdin>" : fileOrDash;
  let text: string;
  try {
    text = await (options.read ?? readInput)(fileOrDash);
  } catch (error) {
    return {
      stdout: "",
      stderr: `policy validate: cannot read ${fileName}: ${readFailure(error)}\n`,
      exitCode: 1,
    };
  }
  // An inline policy given as a file is read relative to the policy file (not for standard input).
  const readRelativeFile =
    fileOrDash === "-"
      ? undefined
      : (relative: string) => readFileSync(resolve(dirname(fileOrDash), relative), "utf8");
  return validatePolicyText(text, fileName, readRelativeFile);
}

/** `policy validate` over already-read text; `fileName` prefixes every error. */
export function validatePolicyText(
  text: string,
  fileName: string,
  readRelativeFile?: (relativePath: string) => string,
): PolicyCommandOutput {
  const result = loadPolicy(text, fileName, {
    grammar: iamPolicyGrammar,
    ...(readRelativeFile === undefined ? {} : { readRelativeFile }),
  });
  if (!result.ok) {
    const count = result.errors.length === 1 ? "1 error" : `${result.errors.length} errors`;
    return {
      stdout: `${result.errors.map(formatPolicyError).join("")}\n${count} in ${fileName}\n`,
      stderr: "",
      exitCode: 1,
    };
  }
  return { stdout: summarizePolicy(result.policy, fileName), stderr: "", exitCode: 0 };
}

/** One error as a compiler prints it: `FILE:LINE:COL  path  message`, then an indented `fix:` line. */
export function formatPolicyError(error: PolicyError): string {
  return `${error.file}:${error.line}:${error.column}  ${error.path}  ${error.message}\n    fix: ${error.fix}\n`;
}

const OWNERSHIP: Record<Policy["ownership"]["scope"], string> = {
  declared: "declared (only the group/permission-set pairs named in rules are managed; the rest is reported)",
  "permission-sets": "permission-sets (every group assignment of a declared permission set is managed)",
  all: "all (every group assignment in the instance is managed)",
};

/** A few lines on what a valid policy manages and how carefully. */
export function summarizePolicy(policy: Policy, fileName: string): string {
  const groups = new Set(policy.rules.map((rule) => groupKey(rule.group)));
  const byId = [...groups].filter((key) => key.startsWith("id:")).length;
  const sets = Object.keys(policy.permissionSets);
  const { ownership, revocation, guards } = policy;
  const denyIn =
    revocation.method === "scp"
      ? `SCPs${policy.managementAccountId === undefined ? "" : ` (inline in management account ${policy.managementAccountId})`}`
      : "permission-set inline policies";
  return [
    `${fileName}: valid`,
    `  rules:            ${policy.rules.length} for ${groups.size} Okta group(s), ${byId} named by id`,
    `  permission sets:  ${sets.length} (${sets.join(", ")})`,
    `  ownership:        ${OWNERSHIP[ownership.scope]}`,
    `                    direct user assignments: ${ownership.directUserAssignments}; membership sync: ${onOff(ownership.membershipSync)}`,
    `  revocation:       Deny in ${denyIn}, held ${revocation.hold}`,
    `  guards:           at most ${guards.maxDeletes} deletions and ${guards.maxDeletePercent}% of managed assignments per run; ` +
      `abort on an empty Okta group: ${guards.abortOnEmptyGroup ? "yes" : "no"}`,
    "",
  ].join("\n");
}

/** Wires `policy validate` into the program; sets `process.exitCode` from the result. */
export function registerPolicy(program: Command): void {
  const policy = program.command("policy").description("Work with the access policy file.");
  policy
    .command("validate")
    .description(
      "Check an access policy: YAML syntax, schema and semantics (unknown permission sets, duplicated rules, " +
        "empty targets...). Prints each error as FILE:LINE:COL  path  message with how to fix it; exits 1 on errors.",
    )
    .argument("<file>", "policy YAML file, or - for standard input")
    .action(async (file: string) => {
      const output = await runPolicyValidate(file);
      process.stdout.write(output.stdout);
      process.stderr.write(output.stderr);
      process.exitCode = output.exitCode;
    });
}

function onOff(value: boolean): string {
  return value ? "on" : "off";
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory, not a file";
  return String((error as Error).message);
}
