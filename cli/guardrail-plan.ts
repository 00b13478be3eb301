import { GuardrailScpTooLargeError, guardrailScp } from "../core/credentials/guardrail-scp.ts";
import type { CredentialsPolicySection } from "../core/policy/credentials-policy.ts";

/**
 * The guardrail SCP as `reconcile` shows it in every plan, before anything attaches it
 * (docs/credentials.md, Guardrail SCP): whether the policy turns it on, what it exempts, its document.
 */
export function formatGuardrailPlan(credentials: CredentialsPolicySection): string {
  let scp: ReturnType<typeof guardrailScp>;
  try {
    scp = guardrailScp(credentials);
  } catch (error) {
    if (error instanceof GuardrailScpTooLargeError) return `Guardrail SCP: not possible: ${error.message}`;
    throw error;
  }
  const state = scp.attach
    ? "on (credentials.guardrail: true): the estate run attaches it to the root"
    : "off (credentials.guardrail: false): shown, not attached";
  return [
    `Guardrail SCP ${scp.name}: ${state}`,
    "  denies iam:CreateUser, iam:CreateAccessKey, iam:CreateLoginProfile in every member account, except:",
    ...(scp.exemptions.length === 0 ? ["    (nobody)"] : scp.exemptions.map((arn) => `    ${arn}`)),
    `  ${scp.content}`,
  ].join("\n");
}
