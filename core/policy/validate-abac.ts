import { closestName } from "./closest-name.ts";
import type { PolicyProblem } from "./policy-error.ts";
import type { Policy } from "./schema.ts";

/**
 * What the ABAC schema cannot check: attribute keys are unique (Identity Center keys are), and an
 * ABAC-scoped permission set only uses keys `abac.attributes` declares, so every key a set relies on
 * is one the pipeline checks users for and doctor checks Identity Center maps.
 */
export function validateAbac(policy: Policy): PolicyProblem[] {
  const keys = policy.abac?.attributes.map((a) => a.key) ?? [];
  const problems: PolicyProblem[] = keys.flatMap((key, index) =>
    keys.indexOf(key) === index
      ? []
      : [
          {
            path: ["abac", "attributes", index, "key"],
            message: `attribute key '${key}' is listed twice`,
            fix: "keep one entry per key: Identity Center maps each key to one source",
          },
        ],
  );
  for (const [name, set] of Object.entries(policy.permissionSets)) {
    for (const [index, key] of (set.abac?.attributes ?? []).entries()) {
      if (keys.includes(key)) continue;
      const guess = closestName(key, keys);
      problems.push({
        path: ["permissionSets", name, "abac", "attributes", index],
        message:
          keys.length === 0
            ? `permission set '${name}' is scoped by '${key}', but the policy has no abac section`
            : `permission set '${name}' is scoped by '${key}', which abac.attributes does not declare (declared: ${keys.join(", ")})`,
        fix:
          keys.length === 0
            ? `add abac: { attributes: [{ key: ${key}, oktaAttribute: ${key} }] } naming the Okta profile attribute that feeds it`
            : `declare it under abac.attributes or fix the name${guess === undefined ? "" : ` (did you mean '${guess}'?)`}`,
      });
    }
  }
  return problems;
}
