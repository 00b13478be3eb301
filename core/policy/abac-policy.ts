import { z } from "zod";

/**
 * An attribute for access control: the key Identity Center puts on every session as the principal
 * tag `aws:PrincipalTag/<key>`, and the Okta profile attribute whose value feeds it. Keys follow the
 * sso-admin model's `AccessControlAttributeKey` (1-128 of `[\p{L}\p{Z}\p{N}_.:\/=+\-@]`).
 */
export const AbacAttribute = z
  .object({
    key: z
      .string()
      .regex(
        /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u,
        "an attribute key is 1-128 letters, digits, spaces or _.:/=+-@ (sso-admin AccessControlAttributeKey)",
      ),
    /** The Okta user profile attribute, e.g. `team` or `costCenter`. */
    oktaAttribute: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "name an Okta profile attribute, e.g. team or costCenter"),
  })
  .strict();

/** Attributes for access control (ABAC) and what happens to a user whose Okta profile lacks one. */
export const AbacPolicy = z
  .object({
    attributes: z
      .array(AbacAttribute)
      .min(1, "list at least one attribute, e.g. { key: team, oktaAttribute: team }"),
    /**
     * A member of a group granted an ABAC-scoped permission set whose Okta profile lacks an attribute
     * the set uses: `report` raises a finding; `withhold` also creates none of that group's new
     * assignments of the set until every member has it (docs/policy.md, ABAC). @default report
     */
    missingAttribute: z
      .enum(["report", "withhold"], { message: "use report (a finding) or withhold (no new assignment)" })
      .default("report"),
  })
  .strict();

/** IAM action names, `service:Action` (wildcards not allowed: the canary asks about one action). */
const IamAction = z
  .string()
  .regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/, "name one IAM action, e.g. athena:GetWorkGroup (no wildcards)");

/** A permission set scoped by ABAC: the attributes its policies compare with resource tags. */
export const PermissionSetAbac = z
  .object({
    /** Keys of `abac.attributes` the set's policies use. */
    attributes: z
      .array(z.string().min(1, "name an attribute key from abac.attributes"))
      .min(1, "list at least one attribute key"),
    /**
     * Actions the canary proof asks about (core/plan/abac-canary.ts): for each, a session tagged with
     * a team must be allowed on its own team's resources and denied on another team's, and a session
     * without the tag denied.
     */
    canaryActions: z
      .array(IamAction)
      .min(1, "list at least one action the set grants, e.g. athena:GetWorkGroup"),
  })
  .strict();

export type AbacSettings = z.output<typeof AbacPolicy>;
export type PermissionSetAbacSettings = z.output<typeof PermissionSetAbac>;
