import type { CredentialsPolicySection } from "../policy/credentials-policy.ts";
import { POLICY_VERSION, TOOL_SID_PREFIX } from "../revocation/deny-statement.ts";
import { SCP_MAX_CHARS } from "../revocation/shard-scps.ts";
import { compareText } from "./compare-text.ts";

/*
 * The optional guardrail SCP (issue 16, Standing controls): nobody in the Organization's member
 * accounts creates long-lived credentials (IAM users, access keys, console passwords) but the
 * declared break-glass users and automation principals.
 *
 * - The exemption is `ArnNotLike aws:PrincipalArn`: for an IAM user it is the user's ARN, for a role
 *   session the role's ARN, path included (IAM User Guide, "AWS global condition context keys",
 *   aws:PrincipalArn), so `arn:aws:iam::*:role/terraform-*` exempts every session of those roles.
 *   ARN matching is case-sensitive (IAM User Guide, "ARN condition operators"): names are written as
 *   the policy writes them.
 * - A break-glass user given as `account:userName` (no path) is exempted by its name at any path:
 *   `user/<name>` and `user/*\/<name>` (paths start and end with `/`, so `*` never matches a longer name).
 * - SCPs never apply to the management account nor to service-linked roles (Organizations User Guide,
 *   "Service control policies", "Tasks and entities not restricted by SCPs"): the guardrail does not
 *   stop either; the estate plan says so.
 */

/** The three calls that create a long-lived credential (IAM API reference). */
export const GUARDRAIL_ACTIONS = ["iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:CreateUser"] as const;

/** The SCP's name in Organizations (what the estate run looks for before attaching it). */
export const GUARDRAIL_SCP_NAME = "okta-aws-lifecycle-credentials-guardrail";

export const GUARDRAIL_SCP_DESCRIPTION =
  "okta-aws-lifecycle: only break-glass users and declared automation create IAM users, access keys and console passwords";

/** The guardrail SCP as the estate plan shows it and the estate run attaches it. */
export interface GuardrailScp {
  name: string;
  description: string;
  /** The SCP document, JSON as written to Organizations. */
  content: string;
  /** The `aws:PrincipalArn` patterns the Deny exempts, sorted. */
  exemptions: string[];
  /** Whether the policy turns it on (`credentials.guardrail`): off, the plan shows it but nothing is attached. */
  attach: boolean;
}

/** Thrown when the exemptions make the SCP longer than an SCP may be. */
export class GuardrailScpTooLargeError extends Error {
  override name = "GuardrailScpTooLargeError";
  readonly chars: number;
  readonly maxChars: number;
  constructor(chars: number, maxChars: number) {
    super(
      `the guardrail SCP is ${chars} characters, above the ${maxChars} an SCP may hold: ` +
        "exempt automation by pattern (arn:aws:iam::*:role/terraform-*) rather than one ARN per account",
    );
    this.chars = chars;
    this.maxChars = maxChars;
  }
}

/** The ARN patterns that exempt one break-glass entry (an ARN as written, or `account:userName` at any path). */
export function breakGlassPatterns(entry: string): string[] {
  if (entry.startsWith("arn:")) return [entry];
  const [account, name] = entry.split(":");
  return [`arn:aws:iam::${account}:user/${name}`, `arn:aws:iam::${account}:user/*/${name}`];
}

/**
 * The guardrail SCP: one Deny of the three creating calls, unless the principal is a break-glass user
 * or matches an automation principal. With no exemption the Deny has no condition (nobody creates
 * them). Deterministic: exemptions sorted and de-duplicated.
 */
export function guardrailScp(
  credentials: Pick<CredentialsPolicySection, "breakGlass" | "automationPrincipals" | "guardrail">,
  maxChars: number = SCP_MAX_CHARS,
): GuardrailScp {
  const exemptions = [
    ...new Set([...credentials.breakGlass.flatMap(breakGlassPatterns), ...credentials.automationPrincipals]),
  ].sort(compareText);
  const statement = {
    Sid: `${TOOL_SID_PREFIX}CredentialsGuardrail`,
    Effect: "Deny",
    Action: [...GUARDRAIL_ACTIONS],
    Resource: "*",
    ...(exemptions.length === 0 ? {} : { Condition: { ArnNotLike: { "aws:PrincipalArn": exemptions } } }),
  };
  const content = JSON.stringify({ Version: POLICY_VERSION, Statement: [statement] });
  if (content.length > maxChars) throw new GuardrailScpTooLargeError(content.length, maxChars);
  return {
    name: GUARDRAIL_SCP_NAME,
    description: GUARDRAIL_SCP_DESCRIPTION,
    content,
    exemptions,
    attach: credentials.guardrail,
  };
}
