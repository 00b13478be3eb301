import { describe, expect, it } from "vitest";
import {
  federationAppFindings,
  federationAppUnreadable,
} from "../../../core/credentials/federation-app-assignment.ts";
import { CredentialsPolicy } from "../../../core/policy/credentials-policy.ts";

const leaver = { id: "00uleaver00000000001", login: "ana@example.com" };
const aws = { appId: "0oaaws00000000000001", appName: "amazon_aws", label: "AWS prod" };
const awsSandbox = { appId: "0oaaws00000000000002", appName: "amazon_aws", label: "AWS sandbox" };
const other = { appId: "0oaother000000000001", appName: "salesforce", label: "Salesforce" };

describe("federationAppFindings", () => {
  it("without an app id, every amazon_aws app still assigned is a finding naming the app and the fix", () => {
    const findings = federationAppFindings({ leaver, assigned: [aws, other, awsSandbox] });

    expect(findings.map((f) => [f.kind, f.subject.appId])).toEqual([
      ["okta-federation-app-still-assigned", aws.appId],
      ["okta-federation-app-still-assigned", awsSandbox.appId],
    ]);
    expect(findings[0]?.message).toContain('"AWS prod"');
    expect(findings[0]?.message).toContain("fix: unassign them in Okta");
  });

  it("with the policy's app id, only that app counts, whatever its name", () => {
    expect(
      federationAppFindings({ leaver, assigned: [aws, other], oktaAppId: other.appId }).map((f) => f.subject),
    ).toEqual([{ oktaUserId: leaver.id, appId: other.appId }]);
    expect(federationAppFindings({ leaver, assigned: [other], oktaAppId: aws.appId })).toEqual([]);
  });

  it("unassigned: no finding", () => {
    expect(federationAppFindings({ leaver, assigned: [] })).toEqual([]);
  });

  it("an unreadable assignment list says the check was not made and how to fix it", () => {
    expect(federationAppUnreadable(leaver, "OktaPermissionError: 403")).toMatchObject({
      kind: "okta-federation-app-unreadable",
      subject: { oktaUserId: leaver.id },
      message: expect.stringContaining("okta.users.read"),
    });
  });
});

describe("credentials.federation.oktaAppId", () => {
  it("accepts an Okta app id and rejects anything else with the fix", () => {
    expect(CredentialsPolicy.parse({ federation: { oktaAppId: aws.appId } }).federation.oktaAppId).toBe(
      aws.appId,
    );
    expect(CredentialsPolicy.parse({}).federation.oktaAppId).toBeUndefined();
    const bad = CredentialsPolicy.safeParse({ federation: { oktaAppId: "amazon_aws" } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["federation", "oktaAppId"]);
    expect(bad.error?.issues[0]?.message).toContain("starting 0oa");
  });
});
