import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { DenyLedger } from "../../adapters/deny-ledger.ts";
import { iamPolicyGrammar } from "../../adapters/iam-policy-grammar.ts";
import { LeaseLock } from "../../adapters/lease-lock.ts";
import { RevocationWriteMarker } from "../../adapters/revocation-write-marker.ts";
import type { Plan } from "../../core/plan/plan.ts";
import { loadPolicy } from "../../core/policy/load-policy.ts";
import type { Policy } from "../../core/policy/schema.ts";
import { reconcileEstate } from "../../usecases/reconcile-estate/reconcile-estate.ts";
import { ThrottleBudget } from "../../usecases/reconcile-estate/throttle-budget.ts";
import { type ConnectOptions, connect } from "../connect.ts";
import { formatGuardrailPlan } from "../guardrail-plan.ts";
import { localAbacCanaryProver } from "../local-abac-canary-prover.ts";
import { formatPermissionSetContent, permissionSetContentStep } from "../permission-set-content-step.ts";
import { slotOptions } from "../revocation-scp-slot-source.ts";
import { addScpQuotaFlags, parseScpQuotaFlags, type ScpQuotaFlags } from "../scp-quota-flags.ts";

interface EstateCommandOptions extends ConnectOptions, ScpQuotaFlags {
  policy: string;
  json?: boolean;
  allowDeletes?: string;
  allowGrants?: string;
  tps?: string;
}

/** Thrown for a policy file that does not load. */
class PolicyFileError extends Error {
  override name = "PolicyFileError";
}

async function readPolicy(file: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new PolicyFileError(`cannot read the policy file ${file}`);
  }
  // An inline policy given as a file is read relative to the policy file.
  const loaded = loadPolicy(text, file, {
    grammar: iamPolicyGrammar,
    readRelativeFile: (relative) => readFileSync(resolve(dirname(file), relative), "utf8"),
  });
  if (!loaded.ok) {
    throw new PolicyFileError(
      `${file} is invalid (run \`okta-aws-lifecycle policy validate ${file}\`):\n${loaded.errors.map((e) => `  ${e.file}:${e.line}:${e.column} ${e.path} ${e.message}`).join("\n")}`,
    );
  }
  return loaded.policy;
}

/** A plan as people read it: counts by kind, the first few of each, findings, and why it is blocked. */
export function formatPlan(plan: Plan, where: string, names: Map<string, string> = new Map()): string {
  const name = (id: string) => names.get(id) ?? id;
  const lines = [
    `Plan against ${where}: ${plan.actions.length} change(s), ${plan.findings.length} finding(s)`,
  ];
  const count = <T extends { kind: string }>(items: readonly T[]) => {
    const by = new Map<string, T[]>();
    for (const i of items) by.set(i.kind, [...(by.get(i.kind) ?? []), i]);
    return by;
  };
  for (const [kind, items] of count(plan.actions)) {
    lines.push(`  ${String(items.length).padStart(5)}  ${kind}`);
    for (const a of items.slice(0, 5)) {
      const d =
        a.kind === "assignment.create" || a.kind === "assignment.delete"
          ? `${a.assignment.principalType.toLowerCase()} ${name(a.assignment.principalId)} -> ${name(a.assignment.permissionSetArn)} @ ${name(a.assignment.accountId)}`
          : a.kind === "deny.add" || a.kind === "deny.lift"
            ? `user ${name(a.deny.userId)} (${a.deny.reason})`
            : a.kind === "permission-set.reprovision"
              ? `${name(a.permissionSetArn)} @ ${a.target.type === "AWS_ACCOUNT" ? name(a.target.accountId) : `every account it is provisioned to (${a.target.outdatedAccountIds.length} outdated)`}${a.cause === "revocation" ? " (revocation upkeep)" : ""}`
              : a.kind === "permission-set.delete"
                ? `${a.name} (${a.permissionSetArn})`
                : `user ${name(a.userId)} in group ${name(a.groupId)}`;
      lines.push(`           ${d}`);
    }
    if (items.length > 5) lines.push(`           ... and ${items.length - 5} more`);
  }
  if (plan.findings.length > 0) lines.push("Findings:");
  for (const [kind, items] of count(plan.findings)) {
    lines.push(
      `  ${String(items.length).padStart(5)}  ${kind}: ${items[0]?.message}${items.length > 1 ? " ..." : ""}`,
    );
  }
  if (plan.status === "blocked") {
    lines.push("BLOCKED: nothing will be applied:");
    for (const v of plan.violations) lines.push(`  ${v.guard}: ${v.message}`);
  }
  return lines.join("\n");
}

async function run(options: EstateCommandOptions, apply: boolean): Promise<number> {
  const policy = await readPolicy(options.policy);
  const budget = new ThrottleBudget({ callsPerSecond: Number(options.tps ?? 20) });
  const c = await connect({ ...options, scpQuotas: parseScpQuotaFlags(options) }, budget);
  if (apply && !c.table)
    throw new PolicyFileError("reconcile needs --state-table (the Deny ledger and evidence chain)");
  // Without the state table (a read-only plan against real AWS) the Deny ledger reads as empty.
  const ledger = c.table ? new DenyLedger(c.table) : ({ list: async () => [] } as unknown as DenyLedger);
  // A plan enforces nothing; should anything try without the state table, it fails loudly.
  const lock = c.table
    ? new LeaseLock(c.table)
    : ({
        withLease: async () => {
          throw new PolicyFileError("enforcing Denies needs --state-table");
        },
      } as unknown as LeaseLock);
  const marker = c.table
    ? new RevocationWriteMarker(c.table)
    : ({ read: async () => undefined, record: async () => {} } as unknown as RevocationWriteMarker);
  // Declared permission-set content first: a set the policy adds must exist before its rules are assigned.
  const content = await permissionSetContentStep(policy, c, apply);
  const organization = await c.organizations.readOrganization();
  // Denies go into the deploy's own slots; found by name only as a fallback, which is said.
  if (c.revocationScps.kind === "by-name") console.error(`note: ${c.revocationScps.note}`);
  const bar =
    apply && !options.json
      ? new cliProgress.SingleBar(
          { format: "  applying [{bar}] {value}/{total} {kind}", noTTYOutput: true, notTTYSchedule: 2000 },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  let started = false;
  const abacCanary = await localAbacCanaryProver();
  const result = await reconcileEstate(
    {
      policy,
      okta: c.okta,
      organizations: c.organizations,
      identityCenter: c.identityCenter,
      ledger,
      // The CLI runs on a person's machine, where the IAM policy simulator may run (not bundled into Lambda).
      ...(abacCanary === undefined ? {} : { abacCanary }),
      enforce: {
        ledger,
        lock,
        marker,
        scps: c.organizations.revocationScpPort({
          targetId: organization.rootId,
          ...slotOptions(c.revocationScps),
        }),
        identityCenter: c.identityCenter,
        instanceArn: c.instanceArn,
        managementAccountId: policy.managementAccountId,
        massFallback: policy.revocation.massFallback,
        now: () => new Date().toISOString(),
      },
      budget,
      ...(apply && c.evidence ? { evidence: c.evidence } : {}),
      now: () => new Date().toISOString(),
      runId: `cli-${new Date()
        .toISOString()
        .replace(/[^0-9]/g, "")
        .slice(0, 14)}-${randomUUID().slice(0, 8)}`,
    },
    {
      apply,
      trigger: { type: "manual", requestedBy: process.env.USER ?? "cli" },
      ...(options.allowDeletes === undefined ? {} : { allowDeletes: Number(options.allowDeletes) }),
      ...(options.allowGrants === undefined ? {} : { allowGrants: Number(options.allowGrants) }),
      onProgress: (done, total, action) => {
        if (!bar) return;
        if (!started) {
          bar.start(total, 0, { kind: "" });
          started = true;
        }
        bar.update(done, { kind: action.kind });
      },
    },
  );
  bar?.stop();
  if (options.json) {
    console.log(
      JSON.stringify(
        {
          plan: result.plan,
          applied: result.applied,
          outcomes: result.outcomes,
          evidence: result.evidence,
          permissionSets: content,
        },
        null,
        2,
      ),
    );
  } else {
    const ic = result.input.identityCenter;
    const names = new Map<string, string>([
      ...ic.users.map((u): [string, string] => [u.userId, u.userName]),
      ...ic.groups.map((g): [string, string] => [g.groupId, g.displayName]),
      ...ic.permissionSets.map((p): [string, string] => [p.arn, p.name]),
      ...result.input.organization.accounts.map((a): [string, string] => [a.id, `${a.name} (${a.id})`]),
    ]);
    console.log(formatPlan(result.plan, c.where, names));
    for (const line of formatPermissionSetContent(content, apply)) console.log(line);
    if (policy.credentials) console.log(formatGuardrailPlan(policy.credentials));
    if (apply) {
      const failed = result.outcomes.filter((o) => o.status !== "SUCCEEDED");
      console.log(
        result.applied && result.outcomes.length === 0
          ? "Nothing to apply."
          : result.applied
            ? `Applied ${result.outcomes.length - failed.length}/${result.outcomes.length} action(s)${failed.length ? `; ${failed.length} FAILED (see the evidence record)` : ""}.`
            : result.plan.status === "blocked"
              ? "Nothing applied: the plan is blocked. After checking it, re-run with --allow-deletes N (delete guards) and/or --allow-grants N (grant guards)."
              : "Nothing to apply.",
      );
      for (const e of result.evidence) console.log(`Evidence: ${e.key}`);
      return result.outcomes.some((o) => o.status !== "SUCCEEDED") ||
        (result.plan.status === "blocked" && !result.applied)
        ? 1
        : 0;
    }
  }
  return result.plan.actions.length > 0 || content.plan.steps.length > 0 ? 2 : 0;
}

function connectionOptions(command: Command): Command {
  return addScpQuotaFlags(command)
    .requiredOption("--policy <file>", "the access policy YAML")
    .option(
      "--endpoints <file>",
      "the local stack's endpoints file (default when no --okta-org-url)",
      ".local/endpoints.json",
    )
    .option("--okta-org-url <url>", "real Okta org, e.g. https://example.okta.com")
    .option("--okta-token-env <name>", "environment variable holding the Okta API token", "OKTA_API_TOKEN")
    .option("--profile <name>", "AWS profile (else the standard credential chain)")
    .option("--region <region>", "Identity Center's home region")
    .option("--instance-arn <arn>", "Identity Center instance (discovered when there is one)")
    .option("--identity-store-id <id>", "identity store (discovered with the instance)")
    .option("--state-table <name>", "DynamoDB state table (Deny ledger, evidence chain)")
    .option("--evidence-bucket <name>", "evidence bucket")
    .option(
      "--revocation-scp-ids <ids>",
      "the revocation SCP slots, comma-separated (default: revocationScpIds from --outputs; else found by name)",
    )
    .option("--outputs <file>", "outputs of `npx sst deploy`", ".sst/outputs.json")
    .option("--json", "machine-readable output");
}

/** `plan` (read-only, exit 2 when there are changes) and `reconcile` (applies, with a progress bar). */
export function registerReconcile(program: Command): void {
  connectionOptions(
    program
      .command("plan")
      .description("show what a reconcile would change (read-only; exit 2 when there are changes)"),
  ).action(async (opts: EstateCommandOptions) => {
    try {
      process.exitCode = await run(opts, false);
    } catch (error) {
      console.error(`plan: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  });
  connectionOptions(
    program
      .command("reconcile")
      .description("apply the policy: create and delete assignments, with evidence"),
  )
    .option("--allow-deletes <n>", "apply a plan blocked by the delete guards if it deletes at most N")
    .option(
      "--allow-grants <n>",
      "apply a plan blocked by the grant guards (privileged sets, new assignments, rule widening) if it creates at most N assignments",
    )
    .option("--tps <n>", "sso-admin calls per second to stay under", "20")
    .action(async (opts: EstateCommandOptions) => {
      try {
        process.exitCode = await run(opts, true);
      } catch (error) {
        console.error(`reconcile: ${(error as Error).message}`);
        process.exitCode = 1;
      }
    });
}
