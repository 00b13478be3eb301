/**
 * What AWS's documentation leaves open, one switch per plausible answer. The emulators take these,
 * the e2e leaver / mover / estate suites run under every value, `npx okta-aws-lifecycle probe` reports
 * which value a real org answers, and docs/aws-behaviour.md lists each with its source.
 *
 * This file is the single registry: an emulator behaviour that AWS does not document gets a field
 * here and an entry in {@link AWS_BEHAVIOUR_SWITCHES}, never a private flag in one emulator.
 */
export interface AwsBehaviourSwitches {
  /**
   * Whether sso-admin ListAccountAssignmentsForPrincipal, asked about a USER, also returns the
   * assignments the user inherits through a group (each item then names the GROUP as principal).
   * The API reference says only "the accounts the principal has access to".
   * @default false
   */
  listForPrincipalIncludesInherited: boolean;
  /**
   * How DeleteAccountAssignment ends when its principal was deleted from the identity store:
   * `"fails-404"`: FAILED with "Received a 404 status error: the USER assignee <id> was not found in
   * directory <store>" (terraform-provider-aws issue 19341); `"succeeds"`: SUCCEEDED.
   * @default "fails-404"
   */
  orphanedAssignmentDeletion: "fails-404" | "succeeds";
  /**
   * The prefix Step Functions gives identitystore SDK-integration errors: Step Functions names them
   * after the Java SDK v2 client (`SsoAdmin.*`, `DynamoDb.*`), and the developer guide's list of SDK
   * integrations gives identitystore's prefix as `Identitystore`; `IdentityStore.*` (the service's
   * abbreviation) is the other reading, until a deployed run's history shows which.
   * @default "Identitystore"
   */
  identityStoreErrorPrefix: "Identitystore" | "IdentityStore";
  /**
   * What Identity Center's SCIM endpoint does with a user Okta deactivates: `"disable"` keeps it with
   * identitystore `UserStatus: DISABLED` (Okta deprovisions over SCIM with `active: false`, and the
   * identitystore model's `User.UserStatus` ENABLED/DISABLED reports it; aws/aws-cli issue 7662 and
   * boto/boto3 issue 3809 show SCIM-deactivated users kept with `active: false`), `"delete"` removes it
   * (a SCIM DELETE, or an admin's cleanup). The pipeline is right under both (docs/aws-behaviour.md).
   * @default "disable"
   */
  scimDeactivation: "disable" | "delete";
  /**
   * Whether the organization has the SERVICE_CONTROL_POLICY policy type enabled on its root. New
   * organizations with all features have it off until someone enables it.
   * @default true
   */
  scpPolicyTypeEnabled: boolean;
  /**
   * What sso-admin GetPermissionsBoundaryForPermissionSet answers for a permission set without a
   * boundary: `"not-found"`, ResourceNotFoundException (the operation lists it; open-source readers such
   * as terraformer's sso-admin generator treat it as "none"); `"empty"`, 200 without PermissionsBoundary
   * (the response member is optional in the model). The API reference is silent.
   * @default "not-found"
   */
  permissionsBoundaryAbsent: "not-found" | "empty";
  /**
   * What sso-admin DescribeInstanceAccessControlAttributeConfiguration answers for an instance where
   * attributes for access control (ABAC) are not enabled: `"not-found"`: ResourceNotFoundException
   * (listed for the operation); `"empty"`: 200 without a configuration (every response member is
   * optional in the model). The API reference is silent.
   * @default "not-found"
   */
  accessControlAttributesAbsent: "not-found" | "empty";
}

export const DEFAULT_AWS_BEHAVIOUR: Readonly<AwsBehaviourSwitches> = {
  listForPrincipalIncludesInherited: false,
  orphanedAssignmentDeletion: "fails-404",
  identityStoreErrorPrefix: "Identitystore",
  scimDeactivation: "disable",
  scpPolicyTypeEnabled: true,
  permissionsBoundaryAbsent: "not-found",
  accessControlAttributesAbsent: "not-found",
};

/** One switch as docs/aws-behaviour.md and the probe describe it. */
export interface AwsBehaviourSwitchInfo<K extends keyof AwsBehaviourSwitches = keyof AwsBehaviourSwitches> {
  name: K;
  values: readonly AwsBehaviourSwitches[K][];
  /** What the emulator's default assumes, in one sentence. */
  assumes: string;
  /** Where the behaviour (or the silence) is documented. */
  source: string;
}

export const AWS_BEHAVIOUR_SWITCHES: readonly AwsBehaviourSwitchInfo[] = [
  {
    name: "listForPrincipalIncludesInherited",
    values: [false, true],
    assumes: "ListAccountAssignmentsForPrincipal for a USER lists only the user's direct assignments",
    source: "sso-admin API reference, ListAccountAssignmentsForPrincipal (silent on group-inherited entries)",
  },
  {
    name: "orphanedAssignmentDeletion",
    values: ["fails-404", "succeeds"],
    assumes: "deleting an assignment whose user or group was deleted ends FAILED with a 404 reason",
    source: "hashicorp/terraform-provider-aws issue 19341",
  },
  {
    name: "identityStoreErrorPrefix",
    values: ["Identitystore", "IdentityStore"],
    assumes: "Step Functions names identitystore errors Identitystore.<Code> (Java SDK v2 client name)",
    source:
      "Step Functions developer guide, 'Learning to use AWS service SDK integrations': identitystore's Exception prefix is Identitystore",
  },
  {
    name: "scimDeactivation",
    values: ["disable", "delete"],
    assumes:
      "a user Okta deactivates stays in the identity store with UserStatus DISABLED (SCIM active: false)",
    source:
      "Identity Center SCIM implementation guide (User active attribute); identitystore model User.UserStatus; aws/aws-cli issue 7662, boto/boto3 issue 3809 (SCIM-deactivated users kept, active: false)",
  },
  {
    name: "scpPolicyTypeEnabled",
    values: [true, false],
    assumes: "the organization has SCPs enabled",
    source: "Organizations API reference, EnablePolicyType / PolicyTypeNotEnabledException",
  },
  {
    name: "permissionsBoundaryAbsent",
    values: ["not-found", "empty"],
    assumes:
      "GetPermissionsBoundaryForPermissionSet answers ResourceNotFoundException for a set without a boundary",
    source:
      "sso-admin API reference, GetPermissionsBoundaryForPermissionSet (silent; PermissionsBoundary optional in the model)",
  },
  {
    name: "accessControlAttributesAbsent",
    values: ["not-found", "empty"],
    assumes:
      "DescribeInstanceAccessControlAttributeConfiguration answers ResourceNotFoundException while ABAC is not enabled",
    source:
      "sso-admin API reference, DescribeInstanceAccessControlAttributeConfiguration (silent; every response member optional in the model)",
  },
];

/**
 * `name=value` settings (the `--aws-behaviour` flag of `npm start`, the probe's advice) as switches.
 * An unknown name or value is an error that lists what is accepted.
 */
export function parseAwsBehaviour(
  settings: readonly string[],
): { ok: true; behaviour: Partial<AwsBehaviourSwitches> } | { ok: false; error: string } {
  const behaviour: Record<string, unknown> = {};
  for (const setting of settings) {
    const [name, text] = setting.split("=", 2);
    const info = AWS_BEHAVIOUR_SWITCHES.find((s) => s.name === name);
    if (!info) {
      const names = AWS_BEHAVIOUR_SWITCHES.map((s) => s.name).join(", ");
      return { ok: false, error: `--aws-behaviour ${setting}: unknown switch "${name}"; one of ${names}` };
    }
    const value = info.values.find((v) => String(v) === text);
    if (value === undefined) {
      const values = info.values.map(String).join(" | ");
      return { ok: false, error: `--aws-behaviour ${setting}: ${info.name} is ${values}` };
    }
    behaviour[info.name] = value;
  }
  return { ok: true, behaviour: behaviour as Partial<AwsBehaviourSwitches> };
}

/** The settings that differ from the defaults, as `--aws-behaviour` arguments. */
export function awsBehaviourArguments(behaviour: Partial<AwsBehaviourSwitches>): string[] {
  return AWS_BEHAVIOUR_SWITCHES.flatMap((s) => {
    const value = behaviour[s.name];
    return value === undefined || value === DEFAULT_AWS_BEHAVIOUR[s.name]
      ? []
      : [`--aws-behaviour ${s.name}=${value}`];
  });
}

/**
 * The switches an emulator keeps: the very object it was given (so the local stack and every emulator
 * share one set, and a change at runtime reaches all of them), its missing switches filled with the
 * defaults; a new object when none was given.
 */
export function sharedAwsBehaviour(given?: Partial<AwsBehaviourSwitches>): AwsBehaviourSwitches {
  const behaviour = given ?? {};
  for (const [name, value] of Object.entries(DEFAULT_AWS_BEHAVIOUR))
    if ((behaviour as Record<string, unknown>)[name] === undefined)
      (behaviour as Record<string, unknown>)[name] = value;
  return behaviour as AwsBehaviourSwitches;
}
