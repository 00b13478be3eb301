import {
  DescribeInstanceAccessControlAttributeConfigurationCommand,
  ResourceNotFoundException,
  type SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { iamPolicyGrammar } from "../../adapters/iam-policy-grammar.ts";
import { loadPolicy } from "../../core/policy/load-policy.ts";
import { type CheckResult, guarded, ok, problem } from "./check.ts";

export interface AbacCheckTarget {
  ssoAdmin: Pick<SSOAdminClient, "send">;
  instanceArn: string;
  /** The deployment's policy as YAML text and where it came from, or `undefined` when none can be read. */
  readPolicy: () => Promise<{ text: string; from: string } | undefined>;
}

const CHECK = "ABAC attributes";

/**
 * Identity Center's attributes for access control carry every key the policy's `abac.attributes`
 * lists (docs/policy.md, ABAC): a key it does not map puts no tag on any session, so every ABAC-scoped
 * permission set is then judged without it. Describe answers ResourceNotFoundException or nothing
 * while ABAC is not enabled (switch accessControlAttributesAbsent, docs/aws-behaviour.md): both read
 * as "not enabled".
 */
export function checkAbacAttributes(target: AbacCheckTarget): Promise<CheckResult> {
  return guarded(
    CHECK,
    "allow sso:DescribeInstanceAccessControlAttributeConfiguration to the doctor's credentials",
    async () => {
      const source = await target.readPolicy();
      if (source === undefined) {
        return { check: CHECK, status: "unsupported", detail: "no policy to compare with (pass --policy)" };
      }
      const loaded = loadPolicy(source.text, source.from, { grammar: iamPolicyGrammar });
      if (!loaded.ok) {
        return problem(
          CHECK,
          `${source.from} does not load`,
          `run \`okta-aws-lifecycle policy validate ${source.from}\``,
        );
      }
      const wanted = loaded.policy.abac?.attributes ?? [];
      let configured: { key: string; source: string }[] | undefined;
      try {
        const answer = await target.ssoAdmin.send(
          new DescribeInstanceAccessControlAttributeConfigurationCommand({ InstanceArn: target.instanceArn }),
        );
        configured = answer.InstanceAccessControlAttributeConfiguration?.AccessControlAttributes?.map(
          (a) => ({
            key: a.Key ?? "",
            source: a.Value?.Source?.[0] ?? "",
          }),
        );
        if (answer.Status === "CREATION_FAILED") {
          return problem(
            CHECK,
            `enabling attributes for access control failed: ${answer.StatusReason ?? "no reason given"}`,
            "enable them again in the Identity Center console (Settings, Attributes for access control)",
          );
        }
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
      if (wanted.length === 0) {
        return ok(
          CHECK,
          `the policy declares none${configured?.length ? `; Identity Center maps ${configured.map((c) => c.key).join(", ")}` : ""}`,
        );
      }
      const keys = new Set((configured ?? []).map((c) => c.key));
      const missing = wanted.filter((w) => !keys.has(w.key));
      if (missing.length > 0) {
        return problem(
          CHECK,
          configured === undefined
            ? `attributes for access control are not enabled; the policy needs ${missing.map((m) => m.key).join(", ")}`
            : `Identity Center does not map ${missing.map((m) => m.key).join(", ")} (it maps ${[...keys].join(", ") || "nothing"}): sessions carry no such tag`,
          `in the Identity Center console (Settings, Attributes for access control) add ${missing
            .map((m) => `${m.key} from the user attribute Okta provisions from profile.${m.oktaAttribute}`)
            .join("; ")}`,
        );
      }
      const extra = [...keys].filter((k) => !wanted.some((w) => w.key === k));
      return ok(
        CHECK,
        `Identity Center maps ${wanted.map((w) => `${w.key} (${configured?.find((c) => c.key === w.key)?.source || "from the SAML assertion"})`).join(", ")}${extra.length ? `; also ${extra.join(", ")}, which the policy does not list` : ""}`,
      );
    },
  );
}
