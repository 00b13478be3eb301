import { beforeAll, describe, expect, it } from "vitest";
import {
  accessReviewCsv,
  driftCsv,
  exportCsvFiles,
  leaversCsv,
  userChangesCsv,
} from "../../../core/evidence/export-csv.ts";
import { buildExportModel, type ExportModel } from "../../../core/evidence/export-model.ts";
import { buildExportPackage } from "../../../core/evidence/export-package.ts";
import { sha256Hex } from "../../../core/evidence/hash-chain.ts";
import { parseEvidenceRecord } from "../../../core/evidence/record.ts";
import { REPORT_TABLE_LIMIT, renderReportHtml } from "../../../core/evidence/report-html.ts";
import { revokeDistribution } from "../../../core/evidence/revoke-distribution.ts";
import {
  barChartSvg,
  dailyStackedSvg,
  escapeHtml,
  proportionSvg,
} from "../../../core/evidence/svg-charts.ts";
import { type EvidenceVerification, verifyEvidence } from "../../../core/evidence/verify-evidence.ts";
import { DAY1, DAY2, scenarioDrafts } from "../../support/evidence-scenario.ts";
import { type SignedBucket, signedBucket, testSigner } from "./signed-bucket.ts";

const period = { from: DAY1, to: DAY2 };
const signer = testSigner();
let bucket: SignedBucket;
let model: ExportModel;
let verification: EvidenceVerification;

beforeAll(async () => {
  bucket = await signedBucket(scenarioDrafts(), signer);
  const records = bucket.records.flatMap(({ key, text }) => {
    const parsed = parseEvidenceRecord(JSON.parse(text));
    return parsed.success ? [{ key, record: parsed.data }] : [];
  });
  model = buildExportModel(records, { period });
  verification = verifyEvidence({
    period,
    records: bucket.records,
    manifests: bucket.manifests,
    publicKeysPem: [signer.pem],
  });
});

const rows = (csv: string) => csv.trimEnd().split("\r\n");

describe("export CSV files", () => {
  it("leavers.csv: one row per leaver with times, seconds, accounts, SLA and evidence keys", () => {
    // Act
    const lines = rows(leaversCsv(model.leavers, model.figures.slaMs));

    // Assess
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(
      "okta_user_id,login,okta_event_type,okta_event_id,okta_deactivated_at,deny_in_force_at,access_removed_at,time_to_deny_in_force_s,time_to_revoke_s,accounts_affected_count,accounts_affected,sla,sla_met,outcome,outcome_detail,deny_lifted_at,evidence_key,lift_evidence_key,run_id,credentials_ended",
    );
    expect(lines[1]).toBe(
      `00ualice,alice@example.com,user.lifecycle.deactivate,evt-alice,${DAY1}T09:00:00.000Z,${DAY1}T09:00:02.500Z,${DAY1}T09:00:40.000Z,2.5,40,2,111111111111; 222222222222,1 h 00 min,yes,revoked,"every assignment and membership removed, verified by read-back",${DAY1}T21:00:41.000Z,v1/runs/2024/05/01/090041000-user-alice.run.json,v1/runs/2024/05/01/210042000-user-alice.lift.json,user-alice,`,
    );
    expect(lines[3]).toContain(`,"'=HYPERLINK(""http://evil"")",`);
    expect(lines[3]).toContain(",5400,1,333333333333,1 h 00 min,no,revoked,");
    expect(lines[4]).toContain(",n/a,not-revoked,");
  });

  it("joiners, movers, drift and access-review CSV carry their rows and the evidence key", () => {
    // Act
    const files = exportCsvFiles(model);

    // Assess
    expect(Object.keys(files)).toEqual([
      "leavers.csv",
      "joiners.csv",
      "movers.csv",
      "drift.csv",
      "access-review.csv",
      "long-lived-credentials.csv",
    ]);
    expect(rows(userChangesCsv(model.joiners))[1]).toBe(
      `00uerin,erin@example.com,user.lifecycle.activate,${DAY2}T08:00:00.000Z,ACTIVE,aws-developers,1,555555555555,membership.add SUCCEEDED,0,scim-lag,passed,,,${DAY2}T08:00:06.000Z,6,v1/runs/2024/05/02/080006000-user-erin.run.json,,user-erin`,
    );
    expect(rows(driftCsv(model.drift))).toHaveLength(9);
    expect(rows(driftCsv(model.drift))[4]).toContain(",action,assignment.delete,");
    expect(rows(accessReviewCsv(model.accessReview))).toEqual([
      "user_id,user_name,okta_group,permission_set,account_id,since,snapshot_at,evidence_key",
      `ic-erin,erin@example.com,aws-developers,Developer,555555555555,${DAY2}T08:00:05.000Z,${DAY2}T13:00:01.000Z,v1/snapshots/2024/05/02/130001000-estate-2.snapshot.json`,
      `ic-frank,frank@example.com,aws-readonly,ReadOnly,555555555555,,${DAY2}T13:00:01.000Z,v1/snapshots/2024/05/02/130001000-estate-2.snapshot.json`,
      `ic-frank,frank@example.com,aws-readonly,ReadOnly,888888888888,,${DAY2}T13:00:01.000Z,v1/snapshots/2024/05/02/130001000-estate-2.snapshot.json`,
    ]);
  });
});

describe("report.html", () => {
  it("is one self-contained page: a CSP that forbids every load, no script, no external URL", () => {
    // Act
    const html = renderReportHtml({
      model,
      verification,
      generatedAt: `${DAY2}T23:00:00.000Z`,
      source: "s3://evidence",
    });

    // Assess
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<script|<link|src="http|url\(/i);
    // The only absolute URL is the SVG namespace; every link is relative (records/...).
    expect(html).not.toMatch(/(?:href|src|action)="(?:https?:)?\/\//i);
    expect(html.match(/xmlns="([^"]+)"/g)).toEqual(Array(3).fill('xmlns="http://www.w3.org/2000/svg"'));
  });

  it("shows the period's figures, the charts, and links every row to its record", () => {
    // Act
    const html = renderReportHtml({
      model,
      verification,
      generatedAt: `${DAY2}T23:00:00.000Z`,
      source: "s3://evidence",
    });

    // Assess
    expect(html).toContain(
      '<div class="figure" data-figure="leavers"><div class="label">Leavers</div><div class="value">4</div>',
    );
    expect(html).toContain(
      'data-figure="sla"><div class="label">SLA met (1 h 00 min)</div><div class="value">1 / 3</div><div class="note">33.3%</div>',
    );
    expect(html).toContain(
      'data-figure="median-revoke"><div class="label">Median time-to-revoke</div><div class="value">40.0 s</div>',
    );
    expect(html).toContain(
      "Verified: 11 record(s) link into one unbroken hash chain and match 2 signed daily manifest(s)",
    );
    expect(html).toContain('<a href="records/v1/runs/2024/05/01/090041000-user-alice.run.json">record</a>');
    expect(html).toContain('<a href="records/v1/runs/2024/05/01/210042000-user-alice.lift.json">lift</a>');
    expect(html).toContain("=HYPERLINK(&quot;http://evil&quot;)");
    expect(html).toContain("<title>Leavers by time-to-revoke</title>");
    expect(html).toContain("<title>Drift findings and changes per day</title>");
    expect(html).toContain("snapshot of 2024-05-02 13:00:01");
  });

  it("lists verification problems, and says when there is nothing to show", () => {
    // Prepare
    const empty = buildExportModel([], { period });
    const failed = verifyEvidence({
      period,
      records: bucket.records.slice(0, 3),
      manifests: [],
      publicKeysPem: [signer.pem],
    });

    // Act
    const html = renderReportHtml({
      model: empty,
      verification: failed,
      generatedAt: `${DAY2}T23:00:00.000Z`,
      source: "s3://x",
    });

    // Assess
    expect(html).toContain('<p class="fail">Verification found 1 problem(s):</p>');
    expect(html).toContain("<code>manifest-missing</code>");
    expect(html).toContain("None in this period (leavers.csv has the header only).");
    expect(html).toContain("No access snapshot in this period");
    expect(html).toContain("No manifest in the period.");
    expect(html).toContain("no leaver in the period");
    expect(html).toContain("no drift recorded in the period");
    expect(html).toContain(
      'data-figure="median-revoke"><div class="label">Median time-to-revoke</div><div class="value">-</div>',
    );
  });

  it("shows a leaver without login or times by Okta id, and manifests it could not trust", () => {
    // Prepare
    const row = {
      ...(model.leavers[0] as ExportModel["leavers"][0]),
      login: null,
      oktaDeactivatedAt: null,
      timeToRevokeMs: null,
      liftEvidenceKey: null,
    };
    const unreadable = verifyEvidence({
      period,
      records: bucket.records,
      manifests: [{ key: "v1/chain/2024/05/01.json", text: "x" }],
      publicKeysPem: [signer.pem],
    });
    const okUnsigned = { ...unreadable, ok: true, problems: [] };

    // Act
    const html = renderReportHtml({
      model: {
        ...model,
        leavers: [row],
        joiners: [{ ...(model.joiners[0] as ExportModel["joiners"][0]), login: null }],
      },
      verification: unreadable,
      generatedAt: `${DAY2}T23:00:00.000Z`,
      source: "s3://x",
    });
    const plain = renderReportHtml({
      model,
      verification: okUnsigned,
      generatedAt: `${DAY2}T23:00:00.000Z`,
      source: "s3://x",
    });

    // Assess
    expect(html).toContain("<td>00ualice</td><td></td>");
    expect(html).toContain("<td>00uerin</td>");
    expect(html).not.toContain(">lift</a>");
    expect(html).toContain("0 record(s), signature unreadable</li>");
    expect(plain).toContain("match 0 signed daily manifest(s).</p>");
  });

  it("shows at most REPORT_TABLE_LIMIT rows per table and points at the CSV for the rest", () => {
    // Prepare
    const many = {
      ...model,
      drift: Array.from({ length: REPORT_TABLE_LIMIT + 2 }, () => model.drift[0] as ExportModel["drift"][0]),
    };

    // Act
    const html = renderReportHtml({
      model: many,
      verification,
      generatedAt: `${DAY2}T23:00:00.000Z`,
      source: "s3://x",
    });

    // Assess
    expect(html).toContain(
      `Showing ${REPORT_TABLE_LIMIT} of ${REPORT_TABLE_LIMIT + 2} rows; drift.csv has them all.`,
    );
  });
});

describe("charts", () => {
  it("bins time-to-revoke, green within the SLA and red beyond", () => {
    // Act
    const bars = revokeDistribution([-20, 4_999, 5_000, 40_000, 3_599_999, 90_000_000], 3_600_000);

    // Assess
    expect(bars.map((b) => [b.label, b.value, b.tone])).toEqual([
      ["< 5 s", 2, "good"],
      ["5-15 s", 1, "good"],
      ["15-30 s", 0, "good"],
      ["30-60 s", 1, "good"],
      ["1-5 min", 0, "good"],
      ["5-15 min", 0, "good"],
      ["15-60 min", 1, "good"],
      ["1-4 h", 0, "bad"],
      ["4-24 h", 0, "bad"],
      [">= 24 h", 1, "bad"],
    ]);
  });

  it("draw escaped labels and titles", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(barChartSvg([{ label: "<b>", value: 3, tone: "good" }], "t")).toContain("&lt;b&gt;");
    expect(barChartSvg([], "none")).toContain("<title>none</title>");
    expect(
      proportionSvg(
        [
          { label: "a", value: 1, tone: "good" },
          { label: "b", value: 0, tone: "bad" },
        ],
        "p",
      ),
    ).toContain("a: 1");
    const days = Array.from({ length: 20 }, (_, i) => ({
      date: `2024-05-${String(i + 1).padStart(2, "0")}`,
      findings: i % 3,
      actions: 1,
    }));
    const svg = dailyStackedSvg(days, "d");
    expect(svg.match(/<text[^>]*>05-\d\d<\/text>/g)).toHaveLength(8);
    expect(svg).not.toContain("no drift recorded");
    expect(dailyStackedSvg([], "empty")).toContain("no drift recorded");
  });
});

describe("buildExportPackage", () => {
  it("hashes every file it writes in manifest.json, copies the evidence as stored, and records the verification", () => {
    // Act
    const files = buildExportPackage({
      model,
      verification,
      generatedAt: `${DAY2}T23:00:00.000Z`,
      source: "s3://evidence",
      evidence: [...bucket.manifests, ...bucket.records],
    });

    // Assess
    const manifestFile = files.at(-1);
    expect(manifestFile?.path).toBe("manifest.json");
    const manifest = JSON.parse(manifestFile?.content ?? "{}");
    expect(manifest).toMatchObject({
      schemaVersion: 1,
      kind: "evidence-export",
      period,
      slaSeconds: 3600,
      source: "s3://evidence",
      verification: { ok: true, records: 11, problems: [] },
      figures: { leavers: { total: 4 } },
    });
    expect(manifest.files).toHaveLength(files.length - 1);
    for (const file of files.slice(0, -1)) {
      expect(manifest.files).toContainEqual({
        path: file.path,
        sha256: sha256Hex(file.content),
        bytes: Buffer.byteLength(file.content),
      });
    }
    expect(files.map((f) => f.path).slice(0, 7)).toEqual([
      "leavers.csv",
      "joiners.csv",
      "movers.csv",
      "drift.csv",
      "access-review.csv",
      "long-lived-credentials.csv",
      "report.html",
    ]);
    expect(files.find((f) => f.path === `records/${bucket.records[0]?.key}`)?.content).toBe(
      bucket.records[0]?.text,
    );
    expect(files.filter((f) => f.path.startsWith("records/v1/chain/"))).toHaveLength(2);
  });
});
