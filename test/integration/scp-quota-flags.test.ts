import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_REVOCATION_SCP_PREFIX, revocationScpSlot } from "../../adapters/organizations.ts";
import { checkScps } from "../../cli/doctor/scp-check.ts";
import { buildProgram } from "../../cli/main.ts";
import { ProbeOptionsError, parseProbeOptions } from "../../cli/probe/probe-options.ts";
import { formatProbeReport, type ProbeReport } from "../../cli/probe/probe-report.ts";
import { readScpHeadroom } from "../../cli/probe/scp-headroom.ts";
import { unverifiedScpQuotas } from "../../cli/probe/scp-quotas.ts";
import { parseScpQuotaFlags, ScpQuotaFlagError } from "../../cli/scp-quota-flags.ts";
import type { DenyEntry } from "../../core/estate.ts";
import { leaverHeadroom } from "../../core/revocation/scp-headroom.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createOrganizationsEmulator } from "../../local/emulators/organizations/index.ts";

/*
 * Issue 17: --scp-max-chars / --scp-max-per-target on the commands that fit SCPs (doctor, plan,
 * reconcile, probe), and the probe's headroom in leavers for the org it reads.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const HELD = "906752d7c7-00000001-1111-2222-3333-444455556666";
const held: DenyEntry = { userId: HELD, scope: "all", reason: "leaver", createdAt: "", expiresAt: "" };

/** A root with FullAWSAccess, the tool's slot 1 (holding one leaver) and slot 2 detached, and `others` guardrails. */
async function organization(others: number) {
  const org = createOrganizationsEmulator({ rootId: "r-ab12" });
  const server = await startAwsJsonServer([org.service]);
  const organizations = new OrganizationsClient(localClientConfig(server.endpoint));
  cleanups.push(async () => {
    organizations.destroy();
    await server.close();
  });
  const content = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OktaAwsLifecycleAllSessions0",
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { StringEquals: { "identitystore:userId": [HELD] } },
      },
    ],
  });
  org.seed.policy({ ...revocationScpSlot(DEFAULT_REVOCATION_SCP_PREFIX, 0), content, targetIds: ["r-ab12"] });
  org.seed.policy({ ...revocationScpSlot(DEFAULT_REVOCATION_SCP_PREFIX, 1), targetIds: [] });
  for (let i = 0; i < others; i++)
    org.seed.policy({
      name: `guardrail-${i}`,
      description: "",
      content: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: `G${i}`, Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }],
      }),
      targetIds: ["r-ab12"],
    });
  return organizations;
}

describe("SCP quota flags", () => {
  it("reads the flags first, then the deploy's variables, then AWS's published defaults", () => {
    // Act
    const fromFlags = parseScpQuotaFlags(
      { scpMaxChars: "10240", scpMaxPerTarget: "10" },
      { OAL_SCP_MAX_CHARS: "6000", OAL_SCP_MAX_PER_TARGET: "7" },
    );
    const fromEnv = parseScpQuotaFlags({}, { OAL_SCP_MAX_CHARS: "6000", OAL_SCP_MAX_PER_TARGET: "7" });
    const defaults = parseScpQuotaFlags({}, {});

    // Assess
    expect(fromFlags).toEqual({ maxPolicyChars: 10_240, maxPoliciesPerTarget: 10 });
    expect(fromEnv).toEqual({ maxPolicyChars: 6000, maxPoliciesPerTarget: 7 });
    expect(defaults).toEqual({ maxPolicyChars: 5120, maxPoliciesPerTarget: 5 });
  });

  it.each([
    [{ scpMaxChars: "big" }, {}, /--scp-max-chars: "big" is not a whole number between 1000 and 10240/],
    [{ scpMaxPerTarget: "1" }, {}, /--scp-max-per-target: "1" is not a whole number between 2 and 10/],
    [{}, { OAL_SCP_MAX_CHARS: "20480" }, /OAL_SCP_MAX_CHARS: "20480"/],
  ])("refuses %o %o naming the flag or variable", (flags, env, message) => {
    expect(() => parseScpQuotaFlags(flags, env)).toThrow(ScpQuotaFlagError);
    expect(() => parseScpQuotaFlags(flags, env)).toThrow(message);
  });

  it.each(["doctor", "plan", "reconcile", "probe"])(
    "%s takes --scp-max-chars and --scp-max-per-target",
    async (name) => {
      // Act
      const command = (await buildProgram([name])).commands.find((c) => c.name() === name);
      command?.parseOptions(["--scp-max-chars", "10240", "--scp-max-per-target", "10"]);

      // Assess
      expect(command?.opts()).toMatchObject({ scpMaxChars: "10240", scpMaxPerTarget: "10" });
      expect(parseScpQuotaFlags(command?.opts() ?? {}, {})).toEqual({
        maxPolicyChars: 10_240,
        maxPoliciesPerTarget: 10,
      });
    },
  );

  it("doctor counts the root's places with the given per-target quota", async () => {
    // Prepare: FullAWSAccess + slot 1 + 3 guardrails = 5: full at 5, room for 5 more at 10
    const organizations = await organization(3);

    // Act
    const atFive = await checkScps({ organizations, now: () => "2026-12-07T00:00:00Z" });
    const atTen = await checkScps({
      organizations,
      quotas: parseScpQuotaFlags({ scpMaxChars: "10240", scpMaxPerTarget: "10" }, {}),
      now: () => "2026-12-07T00:00:00Z",
    });

    // Assess
    expect(atFive.detail).toContain("room for 1 at the root");
    expect(atTen.detail).toContain("room for 6 at the root");
    expect(atTen.detail).toContain("fit in 2 slot(s) of 10240 characters");
  });
});

describe("probe: SCP headroom in leavers", () => {
  it("counts the slots other SCPs leave and the ids the tool's slots already hold", async () => {
    // Prepare
    const organizations = await organization(2);

    // Act
    const headroom = await readScpHeadroom(organizations, "r-ab12", {
      maxPolicyChars: 5120,
      maxPoliciesPerTarget: 5,
    });

    // Assess: FullAWSAccess + slot 1 + 2 guardrails = 4 of 5: the detached slot 2 has a place
    expect(headroom).toMatchObject({
      attachedOnRoot: 4,
      toolSlots: 2,
      toolSlotsAttached: 1,
      usableSlots: 2,
      idsInSlots: 1,
    });
    expect(headroom.leavers).toBe(leaverHeadroom([held], { maxChars: 5120, maxPolicies: 2 }));
    expect(headroom.leavers).toBeGreaterThan(190);
  });

  it("an org with no slot yet: a deploy's slots would take every place left", async () => {
    // Prepare
    const org = createOrganizationsEmulator({ rootId: "r-cd34" });
    const server = await startAwsJsonServer([org.service]);
    const organizations = new OrganizationsClient(localClientConfig(server.endpoint));
    cleanups.push(async () => {
      organizations.destroy();
      await server.close();
    });

    // Act
    const headroom = await readScpHeadroom(organizations, "r-cd34", {
      maxPolicyChars: 10_240,
      maxPoliciesPerTarget: 10,
    });

    // Assess: FullAWSAccess alone on the root
    expect(headroom).toMatchObject({ attachedOnRoot: 1, toolSlots: 0, usableSlots: 9, idsInSlots: 0 });
    expect(headroom.leavers).toBe(leaverHeadroom([], { maxChars: 10_240, maxPolicies: 9 }));
  });

  it("takes the quota flags as its unverified quotas and prints the headroom", () => {
    // Act
    const options = parseProbeOptions(
      { oktaTokenEnv: "OKTA_API_TOKEN", endpoints: "x.json", sample: 10, scpMaxChars: "10240" },
      {},
    );
    const quotas = unverifiedScpQuotas(options.scpQuotas);
    const printed = formatProbeReport(
      {
        probedAt: "2026-12-07T00:00:00Z",
        where: "here",
        mode: "read-only",
        identityCenter: { regions: [] },
        organization: { rootId: "r-ab12", scpsEnabled: true },
        scpQuotas: quotas,
        scpHeadroom: {
          attachedOnRoot: 2,
          toolSlots: 1,
          toolSlotsAttached: 1,
          usableSlots: 4,
          idsInSlots: 3,
          leavers: 797,
          maxPolicyChars: 10_240,
          maxPoliciesPerTarget: 5,
        },
        switches: [],
        okta: {},
        localStack: { npmStart: "npm start", testStack: "" },
        errors: [],
      } satisfies ProbeReport,
      "out.json",
    );

    // Assess
    expect(options.scpQuotas).toEqual({ maxPolicyChars: 10_240 });
    expect(quotas.characters).toMatchObject({ value: 10_240, verified: false });
    expect(quotas.perTarget).toMatchObject({ value: 5, verified: false });
    expect(printed).toContain("headroom: 797 leavers' Denies fit in 4 slot(s) of 10,240 characters");
    expect(() =>
      parseProbeOptions(
        { oktaTokenEnv: "OKTA_API_TOKEN", endpoints: "x.json", sample: 10, scpMaxPerTarget: "99" },
        {},
      ),
    ).toThrow(ProbeOptionsError);
  });
});
