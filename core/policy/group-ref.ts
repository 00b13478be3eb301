import type { PolicyGroupRef } from "./schema.ts";

/**
 * Identity of a group reference: equal for the same Okta group named the same way (`aws-devs` and
 * `{ name: aws-devs }` are equal). A name and an id cannot be compared without asking Okta.
 */
export function groupKey(group: PolicyGroupRef): string {
  if (typeof group === "string") return `name:${group}`;
  return "id" in group ? `id:${group.id}` : `name:${group.name}`;
}

/** The group as a message names it: `group 'aws-devs'` or `group id 00g...`. */
export function describeGroupRef(group: PolicyGroupRef): string {
  if (typeof group === "string") return `group '${group}'`;
  return "id" in group ? `group id ${group.id}` : `group '${group.name}'`;
}
