import type { CredentialAction } from "./credential-action.ts";

/**
 * A limit that stops a credential plan: it is not applied, and waits for a person (design.md
 * principle 5, as core/plan/guards.ts does for assignment deletions). Shaped like core/plan `GuardViolation`.
 */
export interface CredentialGuardViolation {
  guard: "max-key-deactivations";
  message: string;
}

/**
 * An estate sweep that would deactivate more access keys than `credentials.iamUsers.maxKeyDeactivations`
 * at once stops and asks: a bad Okta read (people reading as gone) must not become "disable every key".
 */
export function checkKeyDeactivations(
  actions: readonly CredentialAction[],
  maxKeyDeactivations: number,
): CredentialGuardViolation[] {
  const keys = actions.filter((action) => action.kind === "access-key.deactivate").length;
  if (keys <= maxKeyDeactivations) return [];
  return [
    {
      guard: "max-key-deactivations",
      message: `The plan deactivates ${keys} access keys; credentials.iamUsers.maxKeyDeactivations is ${maxKeyDeactivations}.`,
    },
  ];
}
