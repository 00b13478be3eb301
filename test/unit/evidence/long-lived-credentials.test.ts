import { describe, expect, it } from "vitest";
import { sweepLongLivedCredentials } from "../../../core/credentials/sweep.ts";
import { exportCsvFiles } from "../../../core/evidence/export-csv.ts";
import { buildExportModel, type KeyedRecord } from "../../../core/evidence/export-model.ts";
import { chainRecords } from "../../../core/evidence/hash-chain.ts";
import { evidenceKey } from "../../../core/evidence/layout.ts";
import {
  credentialsEnded,
  formatCredentialsEnded,
  latestCredentialSweep,
} from "../../../core/evidence/long-lived-credentials.ts";
import type {
  ActionOutcome,
  EstateRunRecord,
  EvidenceDraft,
  UserRunRecord,
} from "../../../core/evidence/record.ts";
import { renderReportHtml } from "../../../core/evidence/report-html.ts";
import { DAY1, DAY2, scenarioDrafts } from "../../support/evidence-scenario.ts";
import { credentialsPolicy, iamUser, key, person } from "../credentials/credential-builders.ts";

const MEMBER = "222222222222";
const OUTSIDE = "333333333333";

function keyed(drafts: readonly EvidenceDraft[]): KeyedRecord[] {
  return chainRecords(drafts, null).map((record) => ({ key: evidenceKey(record), record }));
}

const outcome = (
  kind: string,
  target: Record<string, string>,
  status: ActionOutcome["status"] = "SUCCEEDED",
): ActionOutcome => ({
  kind,
  target,
  requestId: null,
  status,
  error: status === "FAILED" ? "AccessDenied" : null,
  startedAt: `${DAY1}T09:00:03.000Z`,
  finishedAt: `${DAY1}T09:00:04.000Z`,
  attempts: 1,
});

/** A sweep of two accounts: a leaver's key, an employee's, a human nobody owns, the break-glass user. */
function sweepDraft(runId: string, createdAt: string): EvidenceDraft {
  const sweep = sweepLongLivedCredentials({
    users: [
      iamUser(MEMBER, "jane", {
        tags: { "okta:login": "jane@example.com" },
        accessKeys: [key("AKIAjane0000000001")],
      }),
      iamUser(MEMBER, "bob", {
        tags: { "okta:login": "bob@example.com" },
        accessKeys: [key("AKIAbob00000000001")],
      }),
      iamUser(OUTSIDE, "old.admin", { hasConsolePassword: true }),
      iamUser(MEMBER, "break-glass", { hasConsolePassword: true }),
    ],
    people: [person("jane@example.com", { status: "DEPROVISIONED" }), person("bob@example.com")],
    credentials: credentialsPolicy({ breakGlass: [`${MEMBER}:break-glass`] }),
    hold: "PT12H",
    now: `${DAY2}T00:00:00.000Z`,
  });
  return {
    schemaVersion: 1,
    recordId: `${runId}.credentials`,
    runId,
    kind: "estate-run",
    createdAt,
    body: {
      trigger: { type: "schedule" },
      truth: {
        okta: { users: 2 },
        identityCenter: {},
        organization: {
          accounts: 2,
          credentials: {
            humansHoldingLongLivedCredentials: sweep.humansHoldingLongLivedCredentials,
            holders: sweep.holders,
          },
        },
      },
      plan: { actions: sweep.actions, findings: sweep.findings.map((f) => ({ ...f })), blockedReason: null },
      actions: [
        outcome("access-key.deactivate", {
          accountId: MEMBER,
          credential: "access-key",
          credentialId: "AKIAjane0000000001",
        }),
      ],
      verification: { passed: true, details: [{ check: "long-lived-credentials-ended", passed: true }] },
      timings: { runStarted: createdAt, runFinished: createdAt },
    },
  };
}

/** The scenario's first leaver (alice), whose run also ended IAM credentials in two accounts. */
function leaverWithCredentials(): EvidenceDraft {
  const alice = scenarioDrafts()[0] as Omit<UserRunRecord, "sequence" | "previousHash">;
  return {
    ...alice,
    body: {
      ...alice.body,
      actions: [
        ...alice.body.actions,
        outcome("iam-user.deny", {
          accountId: MEMBER,
          credential: "iam-user",
          credentialId: "okta-aws-lifecycle-leaver-deny",
          principal: `arn:aws:iam::${MEMBER}:user/alice`,
        }),
        outcome("access-key.deactivate", {
          accountId: MEMBER,
          credential: "access-key",
          credentialId: "AKIAalice000000001",
        }),
        // read defensively: a writer that names only the key
        outcome("access-key.deactivate", {
          accountId: OUTSIDE,
          userName: "alice",
          accessKeyId: "AKIAalice000000002",
        }),
        outcome("login-profile.delete", { accountId: OUTSIDE, userName: "alice" }),
        // not ended: failed, or no credential at all
        outcome("access-key.deactivate", { accountId: OUTSIDE, accessKeyId: "AKIAalice000000003" }, "FAILED"),
      ],
    },
  };
}

describe("credentials in the auditor's export", () => {
  it("lists every credential a leaver's run ended, per account, whatever the writer named", () => {
    // Act
    const ended = credentialsEnded(leaverWithCredentials() as UserRunRecord);

    // Assess
    // the scenario's Identity Center actions (an assignment in 111111111111) end no credential
    expect(ended).toEqual([
      {
        accountId: MEMBER,
        credentials: ["access-key AKIAalice000000001", "iam-user okta-aws-lifecycle-leaver-deny"],
      },
      { accountId: OUTSIDE, credentials: ["access-key AKIAalice000000002", "console-password alice"] },
    ]);
    expect(formatCredentialsEnded(ended)).toBe(
      `${MEMBER}: access-key AKIAalice000000001, iam-user okta-aws-lifecycle-leaver-deny; ${OUTSIDE}: access-key AKIAalice000000002, console-password alice`,
    );
    expect(credentialsEnded(scenarioDrafts()[0] as UserRunRecord)).toEqual([]);
    // an SCP statement names no key: the credential alone
    expect(
      credentialsEnded({
        body: { actions: [outcome("federated-deny.scp", { accountId: "organization" })] },
      } as never),
    ).toEqual([{ accountId: "organization", credentials: ["federated-sessions"] }]);
  });

  it("reads the latest sweep of the period and ignores estate runs without one", () => {
    // Prepare
    const records = keyed([
      sweepDraft("estate-a", `${DAY1}T10:00:00.000Z`),
      ...scenarioDrafts(),
      sweepDraft("estate-b", `${DAY2}T10:00:00.000Z`),
    ]);
    const estateRuns = records.filter((r) => r.record.kind === "estate-run") as {
      key: string;
      record: EstateRunRecord;
    }[];

    // Act
    const latest = latestCredentialSweep(estateRuns);

    // Assess
    expect(latest?.figure).toEqual({
      humans: 3,
      holders: 4,
      sweptAt: `${DAY2}T10:00:00.000Z`,
      evidenceKey: expect.stringContaining("estate-b"),
    });
    expect(
      latestCredentialSweep(estateRuns.filter((r) => !r.record.recordId.endsWith(".credentials"))),
    ).toBeNull();
  });

  it("exports long-lived-credentials.csv, the leaver's credentials ended, and the report's count against target 0", () => {
    // Prepare
    const drafts = scenarioDrafts();
    const records = keyed([
      leaverWithCredentials(),
      ...drafts.slice(1),
      sweepDraft("estate-1", `${DAY1}T13:00:00.500Z`),
    ]);

    // Act
    const model = buildExportModel(records, { period: { from: DAY1, to: DAY2 } });
    const files = exportCsvFiles(model);
    const html = renderReportHtml({
      model,
      verification: {
        ok: true,
        records: records.length,
        anchor: null,
        manifests: [],
        problems: [],
        period: { from: DAY1, to: DAY2 },
      } as never,
      generatedAt: `${DAY2}T23:00:00.000Z`,
      source: "s3://evidence",
    });

    // Assess
    const csv = (files["long-lived-credentials.csv"] ?? "").trimEnd().split("\r\n");
    expect(csv).toHaveLength(5);
    expect(csv.find((l) => l.includes(",jane,"))).toMatch(
      /,mapped,.*,DEPROVISIONED,no,yes,no,,AKIAjane0000000001,.*,yes$/,
    );
    expect(csv.find((l) => l.includes(",old.admin,"))).toMatch(/,unmapped,,,,,yes,yes,,.*,no$/);
    expect(model.leavers[0]?.credentialsEnded.map((a) => a.accountId)).toEqual([MEMBER, OUTSIDE]);
    expect(files["leavers.csv"]).toContain(
      `${OUTSIDE}: access-key AKIAalice000000002, console-password alice`,
    );
    expect(html).toContain(
      'Humans holding long-lived credentials: <span class="tag missed">3</span> (target 0)',
    );
    expect(html).toContain(
      'data-figure="long-lived-credentials"><div class="label">Humans with long-lived credentials</div><div class="value">3</div>',
    );
    // the sweep record of estate-1 is the same run as its Identity Center record: one estate run
    expect(model.figures.drift.estateRuns).toBe(
      new Set(records.filter((r) => r.record.kind === "estate-run").map((r) => r.record.runId)).size,
    );
    expect(model.figures.longLivedCredentials?.humans).toBe(3);
  });

  it("meets the target when only break-glass users hold long-lived credentials", () => {
    // Prepare
    const draft = sweepDraft("estate-z", `${DAY2}T10:00:00.000Z`) as Omit<
      EstateRunRecord,
      "sequence" | "previousHash"
    >;
    const credentials = (draft.body.truth.organization as { credentials: { holders: { human: boolean }[] } })
      .credentials;
    const onlyBreakGlass: EvidenceDraft = {
      ...draft,
      body: {
        ...draft.body,
        truth: {
          ...draft.body.truth,
          organization: {
            credentials: {
              humansHoldingLongLivedCredentials: 0,
              holders: credentials.holders.filter((h) => !h.human),
            },
          },
        },
      },
    };

    // Act
    const model = buildExportModel(keyed([onlyBreakGlass]), { period: { from: DAY1, to: DAY2 } });
    const html = renderReportHtml({
      model,
      verification: {
        ok: true,
        records: 1,
        anchor: null,
        manifests: [],
        problems: [],
        period: { from: DAY1, to: DAY2 },
      } as never,
      generatedAt: `${DAY2}T23:00:00.000Z`,
      source: "s3://evidence",
    });

    // Assess
    expect(html).toContain(
      'Humans holding long-lived credentials: <span class="tag met">0</span> (target 0), of 1 IAM user(s)',
    );
    expect(html).not.toContain("<th>Console password</th>");
  });

  it("says when the period has no sweep", () => {
    // Act
    const model = buildExportModel(keyed(scenarioDrafts()), { period: { from: DAY1, to: DAY2 } });
    const html = renderReportHtml({
      model,
      verification: {
        ok: true,
        records: 0,
        anchor: null,
        manifests: [],
        problems: [],
        period: { from: DAY1, to: DAY2 },
      } as never,
      generatedAt: `${DAY2}T23:00:00.000Z`,
      source: "s3://evidence",
    });

    // Assess
    expect(model.longLivedCredentials).toEqual([]);
    expect(exportCsvFiles(model)["long-lived-credentials.csv"]?.trimEnd().split("\r\n")).toHaveLength(1);
    expect(html).toContain("No estate sweep in this period");
  });
});
