import {
  AttachPolicyCommand,
  CreateOrganizationalUnitCommand,
  CreatePolicyCommand,
  DeleteOrganizationalUnitCommand,
  DeletePolicyCommand,
  DetachPolicyCommand,
  type OrganizationsClient,
  paginateListPoliciesForTarget,
} from "@aws-sdk/client-organizations";
import { allItems } from "../aws-pages.ts";
import type { TemporaryResources } from "./temporary-resources.ts";

/** One SCP quota as the probe knows it. */
export interface QuotaAnswer {
  value: number;
  /** True only when a real attempt settled it. */
  verified: boolean;
  evidence: string;
}

export interface ScpQuotas {
  perTarget: QuotaAnswer;
  characters: QuotaAnswer;
}

/** The 2026 raised quotas (design.md, "SCP quotas"); the attempts test exactly these. */
const RAISED = { perTarget: 10, characters: 10_240 } as const;
/** Organizations' published defaults, which the emulator enforces by default. */
const PUBLISHED = { perTarget: 5, characters: 5_120 } as const;

/**
 * Without --allow-writes: the quotas given (--scp-max-chars, --scp-max-per-target), else the
 * published defaults; unverified either way.
 */
export function unverifiedScpQuotas(
  given: { maxPolicyChars?: number; maxPoliciesPerTarget?: number } = {},
): ScpQuotas {
  const evidence =
    "the Organizations quota page's default; --allow-writes tries it on a temporary SCP and OU";
  const answer = (value: number | undefined, flag: string, fallback: number): QuotaAnswer =>
    value === undefined
      ? { value: fallback, verified: false, evidence }
      : {
          value,
          verified: false,
          evidence: `${flag} (or its OAL_ variable); --allow-writes tries the quota`,
        };
  return {
    perTarget: answer(given.maxPoliciesPerTarget, "--scp-max-per-target", PUBLISHED.perTarget),
    characters: answer(given.maxPolicyChars, "--scp-max-chars", PUBLISHED.characters),
  };
}

/**
 * A compact SCP of exactly `length` characters that allows one harmless action and denies nothing:
 * SCPs never grant, and an Allow beside FullAWSAccess changes no one's access.
 */
export function harmlessScp(length: number, label: string): string {
  const statement = (sid: string) =>
    JSON.stringify({ Sid: sid, Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" });
  const wrap = (statements: string[]) => `{"Version":"2012-10-17","Statement":[${statements.join(",")}]}`;
  const statements: string[] = [];
  const sid = (n: number) => `${label}${n}`;
  while (wrap([...statements, statement(sid(statements.length))]).length <= length)
    statements.push(statement(sid(statements.length)));
  const missing = length - wrap(statements).length;
  const last = statements.length - 1;
  statements[last] = statement(`${sid(last)}${"X".repeat(missing)}`);
  return wrap(statements);
}

const reasonOf = (error: unknown) => (error as { Reason?: string }).Reason;

export interface ScpQuotaContext {
  organizations: OrganizationsClient;
  rootId: string;
  scpEnabled: boolean;
  resources: TemporaryResources;
  progress: (line: string) => void;
  name: string;
}

/**
 * With --allow-writes: creates an SCP of 10,240 characters (refused past 5,120 where the old quota
 * applies), then an empty temporary OU, and attaches temporary SCPs to it until it holds six (the
 * sixth is refused where 5 per target applies). Only the empty OU ever gets them.
 */
export async function probeScpQuotas(ctx: ScpQuotaContext): Promise<ScpQuotas> {
  const { organizations, resources, name } = ctx;
  let created = 0;
  const createPolicy = async (content: string) => {
    const policyName = `${name}-${++created}`;
    const policy = await organizations.send(
      new CreatePolicyCommand({
        Name: policyName,
        Description: "Temporary: okta-aws-lifecycle probe. Allows nothing new. Safe to delete.",
        Type: "SERVICE_CONTROL_POLICY",
        Content: content,
      }),
    );
    const id = policy.Policy?.PolicySummary?.Id as string;
    resources.add({
      description: `SCP ${policyName} (${id})`,
      remove: async () => {
        await organizations.send(new DeletePolicyCommand({ PolicyId: id }));
      },
    });
    return id;
  };

  let characters: QuotaAnswer;
  const policies: string[] = [];
  try {
    policies.push(await createPolicy(harmlessScp(RAISED.characters, "OalProbe")));
    characters = {
      value: RAISED.characters,
      verified: true,
      evidence: `a ${RAISED.characters.toLocaleString("en-US")}-character SCP was accepted`,
    };
  } catch (error) {
    if (
      (error as Error).name !== "ConstraintViolationException" ||
      reasonOf(error) !== "POLICY_CONTENT_LIMIT_EXCEEDED"
    )
      throw error;
    created--;
    characters = {
      value: PUBLISHED.characters,
      verified: true,
      evidence: `a ${RAISED.characters.toLocaleString("en-US")}-character SCP was refused: ConstraintViolationException POLICY_CONTENT_LIMIT_EXCEEDED`,
    };
  }
  ctx.progress(`  SCP size: ${characters.evidence}`);

  if (!ctx.scpEnabled)
    return {
      characters,
      perTarget: {
        value: PUBLISHED.perTarget,
        verified: false,
        evidence: "SCPs are not enabled on the root, so none can be attached: unverified",
      },
    };
  const ou = await organizations.send(
    new CreateOrganizationalUnitCommand({ ParentId: ctx.rootId, Name: name }),
  );
  const ouId = ou.OrganizationalUnit?.Id as string;
  resources.add({
    description: `organizational unit ${name} (${ouId}, empty)`,
    remove: async () => {
      await organizations.send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: ouId }));
    },
  });
  const onOu = async () =>
    (
      await allItems(
        paginateListPoliciesForTarget(
          { client: organizations },
          { TargetId: ouId, Filter: "SERVICE_CONTROL_POLICY" },
        ),
        (p) => p.Policies,
      )
    ).length;
  let attached = await onOu();
  const wanted = PUBLISHED.perTarget + 1;
  while (attached < wanted) {
    const policyId = policies.shift() ?? (await createPolicy(harmlessScp(200, "OalProbe")));
    try {
      await organizations.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: ouId }));
    } catch (error) {
      if (
        (error as Error).name === "ConstraintViolationException" &&
        reasonOf(error) === "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"
      ) {
        const perTarget = {
          value: attached,
          verified: true,
          evidence: `attaching SCP number ${attached + 1} to an empty OU was refused: MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED`,
        };
        ctx.progress(`  SCPs per target: ${perTarget.evidence}`);
        return { characters, perTarget };
      }
      throw error;
    }
    resources.add({
      description: `attachment of SCP ${policyId} to ${ouId}`,
      remove: async () => {
        await organizations.send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: ouId }));
      },
    });
    attached++;
  }
  const perTarget = {
    value: RAISED.perTarget,
    verified: true,
    evidence: `${wanted} SCPs attached to one empty OU were accepted: the raised quota (${RAISED.perTarget}) applies`,
  };
  ctx.progress(`  SCPs per target: ${perTarget.evidence}`);
  return { characters, perTarget };
}
