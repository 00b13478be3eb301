import { describe, expect, it } from "vitest";
import { formatGuardrailPlan } from "../../../cli/guardrail-plan.ts";
import { credentialsPolicy } from "../credentials/credential-builders.ts";

describe("the guardrail SCP in reconcile's plan", () => {
  it("is shown before it is attached: off, what it exempts, and the document", () => {
    // Act
    const text = formatGuardrailPlan(
      credentialsPolicy({
        breakGlass: ["111111111111:bg"],
        automationPrincipals: ["arn:aws:iam::*:role/ci-*"],
      }),
    );

    // Assess
    const lines = text.split("\n");
    expect(lines[0]).toBe(
      "Guardrail SCP okta-aws-lifecycle-credentials-guardrail: off (credentials.guardrail: false): shown, not attached",
    );
    expect(lines.slice(2, 5)).toEqual([
      "    arn:aws:iam::*:role/ci-*",
      "    arn:aws:iam::111111111111:user/*/bg",
      "    arn:aws:iam::111111111111:user/bg",
    ]);
    expect(JSON.parse(String(lines[5])).Statement[0].Effect).toBe("Deny");
  });

  it("says when the policy turns it on, when it exempts nobody, and when it cannot be an SCP", () => {
    // Act
    const on = formatGuardrailPlan(credentialsPolicy({ guardrail: true }));
    const huge = formatGuardrailPlan(
      credentialsPolicy({
        automationPrincipals: Array.from(
          { length: 200 },
          (_, i) => `arn:aws:iam::${String(i).padStart(12, "0")}:role/ci`,
        ),
      }),
    );

    // Assess
    expect(on).toContain(": on (credentials.guardrail: true): the estate run attaches it to the root");
    expect(on).toContain("    (nobody)");
    expect(huge).toMatch(/^Guardrail SCP: not possible: the guardrail SCP is \d+ characters/);
  });
});
