import type { IcPermissionSet } from "../estate.ts";
import { declaresContent } from "../policy/permission-set-content.ts";
import type { Policy } from "../policy/schema.ts";
import {
  type ContentField,
  judgePermissionSetDrift,
  type PermissionSetRepair,
} from "./judge-permission-set-drift.ts";
import type { ObservedPermissionSetContent } from "./permission-set-content.ts";
import { PERMISSION_SET_OWNERSHIP_TAG } from "./permission-set-ownership-tag.ts";
import type { Finding } from "./plan.ts";

/** A permission set write the estate run performs, then re-provisions (or, for a new set, leaves to assignment). */
export type PermissionSetContentStep =
  | {
      kind: "create";
      name: string;
      attributes: {
        sessionDuration: string;
        description?: string;
        relayState?: string;
        /** The declared tags and the ownership tag. */
        tags: Record<string, string>;
      };
      /** The policies, boundary and inline policy written once the set exists. */
      repair: PermissionSetRepair;
    }
  | {
      kind: "repair";
      name: string;
      permissionSetArn: string;
      fields: ContentField[];
      repair: PermissionSetRepair;
    };

export interface PermissionSetContentPlan {
  steps: PermissionSetContentStep[];
  findings: Finding[];
}

/** What Identity Center holds for a set that does not exist yet once created with these attributes. */
const CREATED: ObservedPermissionSetContent = {
  description: null,
  sessionDuration: "PT1H",
  relayState: null,
  managedPolicyArns: [],
  customerManagedPolicies: [],
  inlinePolicy: null,
  permissionsBoundary: null,
  tags: {},
};

/**
 * The permission-set content part of an estate plan. Only permission sets the policy declares content
 * for are touched (docs/policy.md, "Permission sets as code"): one missing from Identity Center is
 * created with that content; one whose content differs is a `permission-set-drift` finding carrying the
 * diff, and is repaired when `permissionSetDrift: repair`. Sets the policy does not declare, and
 * declared sets without content, are never written. `only` limits the plan to some sets (a run scoped
 * to one permission set, started by its CloudTrail edit). A set whose content could not be read is in
 * `unreadable` and is reported, never written. Pure and deterministic: steps and findings by name.
 */
export function planPermissionSetContent(input: {
  policy: Policy;
  existing: readonly IcPermissionSet[];
  observed: Readonly<Record<string, ObservedPermissionSetContent>>;
  unreadable?: Readonly<Record<string, string>>;
  only?: readonly string[];
}): PermissionSetContentPlan {
  const { policy, existing, observed } = input;
  const steps: PermissionSetContentStep[] = [];
  const findings: Finding[] = [];
  const names = Object.keys(policy.permissionSets)
    .filter((name) => input.only === undefined || input.only.includes(name))
    .sort();
  for (const name of names) {
    const decl = policy.permissionSets[name];
    if (decl === undefined || !declaresContent(decl)) continue;
    const set = existing.find((p) => p.name === name);
    if (set === undefined) {
      const attributes = {
        sessionDuration: decl.sessionDuration,
        ...(decl.description === undefined ? {} : { description: decl.description }),
        ...(decl.relayState === undefined ? {} : { relayState: decl.relayState }),
        // The ownership tag marks the set as the tool's: only such a set may later be deleted.
        tags: { ...decl.tags, [PERMISSION_SET_OWNERSHIP_TAG.key]: PERMISSION_SET_OWNERSHIP_TAG.value },
      };
      // The set as CreatePermissionSet leaves it: only its policies and boundary are left to write.
      const created = {
        ...CREATED,
        sessionDuration: decl.sessionDuration,
        description: decl.description ?? null,
        relayState: decl.relayState ?? null,
        tags: attributes.tags,
      };
      steps.push({ kind: "create", name, attributes, repair: judgePermissionSetDrift(decl, created).repair });
      continue;
    }
    const problem = input.unreadable?.[name];
    const content = observed[name];
    if (problem !== undefined || content === undefined) {
      findings.push({
        kind: "permission-set-drift",
        message: `permission set '${name}' could not be read, so its drift is unknown: ${problem ?? "not read"}`,
        subject: { permissionSet: name, permissionSetArn: set.arn },
      });
      continue;
    }
    let judgement: ReturnType<typeof judgePermissionSetDrift>;
    try {
      judgement = judgePermissionSetDrift(decl, content);
    } catch (error) {
      findings.push({
        kind: "permission-set-drift",
        message: `permission set '${name}' cannot be repaired: ${(error as Error).message}`,
        subject: { permissionSet: name, permissionSetArn: set.arn },
      });
      continue;
    }
    if (!judgement.drifted) continue;
    const repairing = policy.permissionSetDrift === "repair";
    findings.push({
      kind: "permission-set-drift",
      message:
        `permission set '${name}' differs from the policy in ${judgement.fields.join(", ")}: ` +
        (repairing
          ? "the declared content is written back and the set re-provisioned"
          : "reported only (set permissionSetDrift: repair to write the declared content back)"),
      subject: {
        permissionSet: name,
        permissionSetArn: set.arn,
        fields: judgement.fields.join(","),
        diff: judgement.diff,
      },
    });
    if (repairing) {
      steps.push({
        kind: "repair",
        name,
        permissionSetArn: set.arn,
        fields: judgement.fields,
        repair: judgement.repair,
      });
    }
  }
  return { steps, findings };
}
