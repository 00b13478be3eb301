import { runSimulation } from "@cloud-copilot/iam-simulate";

/** A policy allowing everything: FullAWSAccess, and the stand-in for a session's own permissions. */
export const ALLOW_ALL = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

/** Thrown when the simulator could not evaluate a request (bad policy or request): never read as "denied". */
export class SimulationFailedError extends Error {
  override name = "SimulationFailedError";
}

export interface RevocationSimulation {
  rootId: string;
  accountId: string;
  /** The caller's ARN as the request names it. */
  principal: string;
  /** The condition keys AWS sets on the session (aws:PrincipalArn, aws:userid, aws:TokenIssueTime...). */
  context: Record<string, string>;
  /** The session's identity policies besides an allow-everything one (the tool's inline Denies). */
  identityPolicies: { name: string; text: string }[];
  /** The revocation SCPs, attached at the root beside FullAWSAccess. */
  scps: readonly string[];
}

/**
 * Whether a session otherwise allowed everything is denied a request in the account, given the
 * revocation SCPs and the tool's inline policies (@cloud-copilot/iam-simulate): a "denied" answer can
 * only come from a revocation Deny. Local stack and tests only: the simulator is AGPL-licensed and is not
 * bundled into the deployed functions.
 */
export async function sessionDeniedByRevocation(input: RevocationSimulation): Promise<boolean> {
  const result = await runSimulation(
    {
      request: {
        principal: input.principal,
        action: "s3:ListAllMyBuckets",
        resource: { resource: "*", accountId: input.accountId },
        contextVariables: input.context,
      },
      identityPolicies: [
        { name: "AllowEverything", policy: ALLOW_ALL },
        ...input.identityPolicies.map(({ name, text }) => ({ name, policy: JSON.parse(text) })),
      ],
      serviceControlPolicies: [
        {
          orgIdentifier: input.rootId,
          policies: [
            { name: "FullAWSAccess", policy: ALLOW_ALL },
            ...input.scps.map((text, i) => ({ name: `Revocation${i}`, policy: JSON.parse(text) })),
          ],
        },
        { orgIdentifier: input.accountId, policies: [{ name: "FullAWSAccess", policy: ALLOW_ALL }] },
      ],
      resourceControlPolicies: [],
    } as never,
    {},
  );
  if (result.resultType === "error") throw new SimulationFailedError(JSON.stringify(result.errors));
  return result.overallResult !== "Allowed";
}
