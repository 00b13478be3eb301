import type { IdentityLinks } from "../../adapters/identity-links.ts";
import { identityLinksToRecord } from "../../core/identity/estate-identity-links.ts";
import type { PlanInput } from "../../core/plan/plan-estate.ts";

/**
 * Records the identity link of every Identity Center user the estate run matched to an Okta user, so
 * a leaver whom SCIM deletes before their run reads is still found by id (usecases/reconcile-user/
 * resolve-identity-center-user.ts). Cost: one Query page per MB of links, and one BatchWriteItem per
 * 25 new or changed links (none in a settled estate).
 */
export async function recordIdentityLinks(
  links: Pick<IdentityLinks, "list" | "putMany">,
  input: Pick<PlanInput, "policy" | "okta" | "identityCenter" | "now">,
): Promise<{ recorded: number }> {
  const existing = await links.list();
  const toRecord = identityLinksToRecord(input.policy, input.okta, input.identityCenter, existing, input.now);
  await links.putMany(toRecord);
  return { recorded: toRecord.length };
}
