import type { DriftRow, ExportModel, LeaverRow, UserChangeRow } from "./export-model.ts";
import { formatDuration, percent } from "./format.ts";
import { formatCredentialsEnded } from "./long-lived-credentials.ts";
import { revokeDistribution } from "./revoke-distribution.ts";
import { barChartSvg, dailyStackedSvg, escapeHtml as e, proportionSvg } from "./svg-charts.ts";
import type { EvidenceVerification } from "./verify-evidence.ts";

/*
 * report.html: one self-contained page for the auditor. Inline CSS and SVG only; a Content Security
 * Policy forbids every external load, so the page makes no request when opened. Each row links to
 * its evidence record, which the export ships under records/<key>.
 */

export interface ReportInput {
  model: ExportModel;
  verification: EvidenceVerification;
  generatedAt: string;
  /** Where the evidence was read, such as `s3://bucket`. */
  source: string;
}

/** Rows shown per table; the CSV files hold them all. */
export const REPORT_TABLE_LIMIT = 500;

/** Where the export puts a record: report links are relative to the export's folder. */
export function recordPath(key: string): string {
  return `records/${key}`;
}

const link = (key: string | null, text = "record") =>
  key === null ? "" : `<a href="${e(encodeURI(recordPath(key)))}">${e(text)}</a>`;
const duration = (ms: number | null) => (ms === null ? "" : e(formatDuration(ms)));
/** An instant as `YYYY-MM-DD HH:MM:SS` (UTC, as the page says; the CSV files keep milliseconds). */
const time = (iso: string | null) => (iso === null ? "" : e(iso.slice(0, 19).replace("T", " ")));

/** A table of trusted cell markup; cells of `wrap` columns may wrap, the others stay on one line. */
function table(
  id: string,
  title: string,
  header: string[],
  rows: string[][],
  csv: string,
  wrap: readonly number[] = [],
): string {
  const shown = rows.slice(0, REPORT_TABLE_LIMIT);
  const more =
    rows.length > shown.length
      ? `<p class="muted">Showing ${shown.length} of ${rows.length} rows; ${e(csv)} has them all.</p>`
      : "";
  const body =
    rows.length === 0
      ? `<p class="muted">None in this period (${e(csv)} has the header only).</p>`
      : `<div class="scroll"><table><thead><tr>${header.map((h) => `<th>${e(h)}</th>`).join("")}</tr></thead><tbody>${shown.map((r) => `<tr>${r.map((c, i) => `<td${wrap.includes(i) ? ' class="wrap"' : ""}>${c}</td>`).join("")}</tr>`).join("")}</tbody></table></div>${more}`;
  return `<section id="${id}"><h2>${e(title)} <span class="count">${rows.length}</span></h2>${body}</section>`;
}

function figure(id: string, label: string, value: string, note = ""): string {
  return `<div class="figure" data-figure="${id}"><div class="label">${e(label)}</div><div class="value">${e(value)}</div><div class="note">${e(note)}</div></div>`;
}

function leaverCells(r: LeaverRow): string[] {
  const sla = r.slaMet === null ? "n/a" : r.slaMet ? "met" : "missed";
  return [
    e(r.login ?? r.oktaUserId),
    time(r.oktaDeactivatedAt),
    time(r.denyInForceAt),
    time(r.accessRemovedAt),
    duration(r.timeToRevokeMs),
    String(r.accountsAffected.length),
    `<span class="tag ${sla}">${sla}</span>`,
    e(r.outcome),
    e(formatCredentialsEnded(r.credentialsEnded)),
    [link(r.evidenceKey), link(r.liftEvidenceKey, "lift")].filter((l) => l !== "").join(" "),
  ];
}

/** "Humans holding long-lived credentials: N (target 0)", from the period's latest estate sweep. */
function longLivedCredentialsSection(
  f: ExportModel["figures"]["longLivedCredentials"],
  holders: ExportModel["longLivedCredentials"],
): string {
  const title = "<h2>Long-lived credentials outside Identity Center</h2>";
  if (f === null)
    return `<section id="long-lived-credentials">${title}<p class="muted">No estate sweep in this period (the policy's credentials section turns it on): long-lived-credentials.csv has the header only.</p></section>`;
  const tone = f.humans === 0 ? "met" : "missed";
  const rows = holders
    .filter((h) => h.human)
    .slice(0, REPORT_TABLE_LIMIT)
    .map(
      (h) =>
        `<tr><td>${e(h.accountId)}</td><td>${e(h.userName)}</td><td>${e(h.owner?.login ?? h.ownership)}</td><td>${e(h.owner?.status ?? "")}</td><td>${h.consolePassword ? "yes" : "no"}</td><td>${h.activeKeys.length}</td><td>${h.revoke ? "yes" : "no"}</td></tr>`,
    )
    .join("");
  const table =
    rows === ""
      ? ""
      : `<div class="scroll"><table><thead><tr><th>Account</th><th>IAM user</th><th>Owner</th><th>Okta status</th><th>Console password</th><th>Active keys</th><th>Revoked</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  return `<section id="long-lived-credentials">${title}<p data-figure="humans-long-lived">Humans holding long-lived credentials: <span class="tag ${tone}">${f.humans}</span> (target 0), of ${f.holders} IAM user(s) holding a console password or an active access key, per the sweep of ${time(f.sweptAt)} (${link(f.evidenceKey, "sweep record")}). long-lived-credentials.csv lists them all, one row per active key.</p>${table}</section>`;
}

function changeCells(r: UserChangeRow): string[] {
  return [
    e(r.login ?? r.oktaUserId),
    e(r.eventTypes.join(", ")),
    time(r.oktaEventAt),
    e(r.oktaGroups.join(", ")),
    e(r.changes.join(", ")),
    e(r.findings.join(", ")),
    e(r.verification),
    duration(r.timeToConvergeMs),
    link(r.evidenceKey),
  ];
}

function driftCells(r: DriftRow): string[] {
  return [
    time(r.detectedAt),
    e(r.type),
    e(r.kind),
    e(r.subject),
    e(r.detail),
    e(r.outcome),
    link(r.evidenceKey),
  ];
}

function verificationSection(v: EvidenceVerification): string {
  const signed = v.manifests.filter((m) => m.signature === "valid");
  const keyIds = [...new Set(signed.map((m) => m.keyId))].join(", ");
  const verdict = v.ok
    ? `<p class="ok">Verified: ${v.records} record(s) link into one unbroken hash chain and match ${signed.length} signed daily manifest(s)${keyIds === "" ? "" : ` (key ${e(keyIds)})`}.</p>`
    : `<p class="fail">Verification found ${v.problems.length} problem(s):</p><ul class="problems">${v.problems.map((p) => `<li><code>${e(p.kind)}</code> ${e(p.message)}</li>`).join("")}</ul>`;
  const manifests =
    v.manifests.length === 0
      ? `<p class="muted">No manifest in the period.</p>`
      : `<ul class="manifests">${v.manifests.map((m) => `<li>${link(m.key, m.key)}: ${m.records} record(s), signature ${e(m.signature)}${m.keyId === null ? "" : ` (${e(m.keyId)})`}</li>`).join("")}</ul>`;
  return `<section id="verification"><h2>Integrity</h2>${verdict}<h3>Signed daily manifests</h3>${manifests}<p class="muted">Re-check: <code>okta-aws-lifecycle evidence verify --from ${e(v.period.from)} --to ${e(v.period.to)}</code>; manifest.json lists the SHA-256 of every file of this export.</p></section>`;
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#263238;background:#f5f7f8}
header{background:#263238;color:#fff;padding:24px 32px}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;color:#cfd8dc}
main{padding:16px 32px 48px;max-width:1280px}section{background:#fff;border:1px solid #e0e6e9;border-radius:8px;padding:16px 20px;margin:16px 0}
h2{font-size:17px;margin:0 0 12px}h3{font-size:14px;margin:16px 0 8px}.count{color:#78909c;font-weight:normal}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px}
.figure{border:1px solid #e0e6e9;border-radius:8px;padding:12px;background:#fafbfc}.figure .label{color:#546e7a;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.figure .value{font-size:26px;font-weight:600;margin:4px 0}.figure .note{color:#78909c;font-size:12px;min-height:1em}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eceff1;vertical-align:top}
th{background:#f5f7f8;font-weight:600;white-space:nowrap}td{white-space:nowrap}td.wrap{white-space:normal;min-width:14em;overflow-wrap:anywhere}.muted{color:#78909c}
.ok{color:#1b5e20;background:#e8f5e9;padding:8px 12px;border-radius:6px}.fail{color:#b71c1c;background:#ffebee;padding:8px 12px;border-radius:6px}
.tag{padding:1px 8px;border-radius:10px;font-size:12px}.tag.met{background:#e8f5e9;color:#1b5e20}.tag.missed{background:#ffebee;color:#b71c1c}.tag.n\\/a{background:#eceff1;color:#546e7a}
a{color:#1565c0}code{font-size:12px;background:#eceff1;padding:1px 4px;border-radius:3px}.charts{display:grid;grid-template-columns:1fr;gap:8px}
@media print{body{background:#fff}section{break-inside:avoid}}
`;

/** The report page (see the file comment). */
export function renderReportHtml(input: ReportInput): string {
  const { model, verification } = input;
  const f = model.figures;
  const l = f.leavers;
  const sla = formatDuration(f.slaMs);
  const slaRate = percent(l.slaMet, l.slaApplicable);
  const revokeTimes = model.leavers.flatMap((r) => (r.timeToRevokeMs === null ? [] : [r.timeToRevokeMs]));
  const figures = [
    figure(
      "leavers",
      "Leavers",
      String(l.total),
      `${l.revoked} revoked, ${l.incomplete} incomplete, ${l.notRevoked} kept (active in Okta)`,
    ),
    figure("sla", `SLA met (${sla})`, `${l.slaMet} / ${l.slaApplicable}`, slaRate ?? "no leaver to judge"),
    figure(
      "median-revoke",
      "Median time-to-revoke",
      l.timeToRevoke === null ? "-" : formatDuration(l.timeToRevoke.medianMs),
      l.timeToRevoke === null
        ? ""
        : `p95 ${formatDuration(l.timeToRevoke.p95Ms)}, max ${formatDuration(l.timeToRevoke.maxMs)}`,
    ),
    figure(
      "median-deny",
      "Median time to Deny",
      l.timeToDeny === null ? "-" : formatDuration(l.timeToDeny.medianMs),
      "live sessions denied",
    ),
    figure("joiners", "Joiners", String(f.joiners)),
    figure("movers", "Movers", String(f.movers)),
    figure("drift", "Drift findings", String(f.drift.findings), `${f.drift.estateRuns} estate run(s)`),
    figure(
      "changes",
      "Drift changes made",
      String(f.drift.actions),
      `${f.drift.failedActions} failed, ${f.drift.notApplied} held by a guard`,
    ),
    figure(
      "access-review",
      "Access review rows",
      f.accessReview === null ? "-" : String(f.accessReview.rows),
      f.accessReview === null
        ? "no snapshot in the period"
        : `${f.accessReview.users} users, ${f.accessReview.accounts} accounts`,
    ),
    figure(
      "long-lived-credentials",
      "Humans with long-lived credentials",
      f.longLivedCredentials === null ? "-" : String(f.longLivedCredentials.humans),
      f.longLivedCredentials === null ? "no estate sweep in the period" : "target 0",
    ),
    figure(
      "integrity",
      "Integrity",
      verification.ok ? "verified" : `${verification.problems.length} problem(s)`,
      `${verification.records} records, ${verification.manifests.length} manifests`,
    ),
  ].join("");

  const charts = `
<section id="revoke"><h2>Time-to-revoke distribution</h2><p class="muted">From Okta's deactivation event to every assignment and membership removed and verified. Green bins are within the SLA (${e(sla)}).</p><div class="charts">${barChartSvg(revokeDistribution(revokeTimes, f.slaMs), "Leavers by time-to-revoke")}</div></section>
<section id="sla"><h2>SLA compliance</h2>${proportionSvg(
    [
      { label: `met (within ${sla})`, value: l.slaMet, tone: "good" },
      { label: "missed or not verified", value: l.slaApplicable - l.slaMet, tone: "bad" },
      { label: "kept (active in Okta)", value: l.notRevoked, tone: "neutral" },
    ],
    "Leavers by SLA outcome",
  )}</section>
<section id="drift-over-time"><h2>Drift over time</h2>${dailyStackedSvg(f.drift.byDay, "Drift findings and changes per day")}</section>`;

  const accessReview =
    f.accessReview === null
      ? `<section id="access-review"><h2>Access review</h2><p class="muted">No access snapshot in this period: access-review.csv has the header only. Estate runs write one.</p></section>`
      : `<section id="access-review"><h2>Access review</h2><p>access-review.csv lists ${f.accessReview.rows} (user, Okta group, permission set, account) rows from the snapshot of ${time(f.accessReview.snapshotAt)} (${link(f.accessReview.evidenceKey, "snapshot record")}).</p></section>`;

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Access lifecycle evidence ${e(f.period.from)} to ${e(f.period.to)}</title>
<style>${STYLE}</style></head>
<body>
<header><h1>Access lifecycle evidence: ${e(f.period.from)} to ${e(f.period.to)}</h1><p>Okta to AWS IAM Identity Center. Source ${e(input.source)}. Generated ${time(input.generatedAt)} UTC; all times are UTC. ${f.records.total} records: ${f.records.userRuns} user runs, ${f.records.estateRuns} estate runs, ${f.records.snapshots} snapshots.</p></header>
<main>
<section id="figures"><h2>The period in figures</h2><div class="figures">${figures}</div></section>
${charts}
${table("leavers", "Leavers", ["User", "Okta deactivated", "Deny in force", "Access removed", "Time-to-revoke", "Accounts", "SLA", "Outcome", "Credentials ended", "Evidence"], model.leavers.map(leaverCells), "leavers.csv", [8])}
${table("joiners", "Joiners", ["User", "Okta events", "Okta event at", "Okta groups", "Changes", "Findings", "Verification", "Converged after", "Evidence"], model.joiners.map(changeCells), "joiners.csv", [1, 3, 4, 5])}
${table("movers", "Movers", ["User", "Okta events", "Okta event at", "Okta groups", "Changes", "Findings", "Verification", "Converged after", "Evidence"], model.movers.map(changeCells), "movers.csv", [1, 3, 4, 5])}
${table("drift-items", "Drift: findings and what was done", ["Detected", "Type", "Kind", "Subject", "Detail", "Outcome", "Evidence"], model.drift.map(driftCells), "drift.csv", [3, 4])}
${accessReview}
${longLivedCredentialsSection(f.longLivedCredentials, model.longLivedCredentials)}
${verificationSection(verification)}
</main></body></html>
`;
}
