import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { zipSync } from "fflate";
import {
  type LoadProgress,
  loadAndVerifyPeriod,
  loadEvidencePeriod,
  readSnapshotRows,
} from "../../adapters/evidence-reader.ts";
import { durationMs } from "../../core/duration.ts";
import { buildExportModel, DEFAULT_SLA_MS, type KeyedRecord } from "../../core/evidence/export-model.ts";
import { buildExportPackage } from "../../core/evidence/export-package.ts";
import { formatDuration, percent } from "../../core/evidence/format.ts";
import { dayOfManifestKey, dayOfRecordKey } from "../../core/evidence/layout.ts";
import { LIST_KINDS, type ListKind, listRecords } from "../../core/evidence/listing.ts";
import { inPeriod, type Period, parsePeriod } from "../../core/evidence/period.ts";
import { parseEvidenceRecord, type SnapshotRow } from "../../core/evidence/record.ts";
import {
  type EvidenceProblem,
  type EvidenceVerification,
  type StoredObject,
  snapshotObjectOf,
} from "../../core/evidence/verify-evidence.ts";
import { type EvidenceSource, type EvidenceSourceOptions, openEvidenceSource } from "../evidence-source.ts";

/** What an evidence command prints and the exit code it ends with. */
export interface CommandResult {
  stdout: string;
  exitCode: number;
}

export interface PeriodOptions {
  /** First day, `YYYY-MM-DD` (UTC). @default `to` */
  from?: string;
  /** Last day, `YYYY-MM-DD` (UTC). @default today */
  to?: string;
}

export type EvidenceCommandOptions = EvidenceSourceOptions &
  PeriodOptions & {
    json?: boolean;
    /** Reports long reads and writes (stderr in the CLI). */
    onProgress?: (progress: LoadProgress | { phase: "write"; done: number; total: number }) => void;
  };

/** Thrown for an option value the command cannot use. */
export class EvidenceOptionError extends Error {
  override name = "EvidenceOptionError";
}

function periodOf(options: PeriodOptions, today: string): Period {
  const to = options.to ?? today;
  return parsePeriod(options.from ?? to, to);
}

async function load(options: EvidenceCommandOptions, period: Period) {
  const source = await openEvidenceSource(options);
  const loaded = await loadEvidencePeriod(source.bucket, period, {
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { source, ...loaded };
}

/**
 * Loads and verifies the period (verify and export), with the keys the manifests must verify with, the
 * chain head kept in the state table when one is known, and `today` (the still open day).
 */
async function loadVerified(options: EvidenceCommandOptions, period: Period, today: string) {
  const source = await openEvidenceSource(options);
  requireKeys(source);
  const loaded = await loadAndVerifyPeriod(source.bucket, period, source.publicKeysPem, {
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(source.chainHead
      ? { chainHead: source.chainHead }
      : { chainHeadUnavailable: "no state table was given (--state-table)" }),
    today,
  });
  return { source, ...loaded };
}

/** The valid records among stored objects (invalid ones are `evidence verify`'s business). */
function validRecords(objects: readonly StoredObject[]): KeyedRecord[] {
  return objects.flatMap(({ key, text }) => {
    try {
      const parsed = parseEvidenceRecord(JSON.parse(text));
      return parsed.success ? [{ key, record: parsed.data }] : [];
    } catch {
      return [];
    }
  });
}

function requireKeys(source: EvidenceSource): void {
  if (source.publicKeysPem.length === 0) {
    throw new EvidenceOptionError(
      "no public key to check the manifest signatures with: pass --public-key FILE (PEM) or --kms-key-id KEY (or run against the local stack, which publishes its key in .local/endpoints.json)",
    );
  }
}

/**
 * The rows of the period's latest snapshot when they live in their own object, read only when the
 * object is intact (a missing or altered one is a verification problem, and the access review is empty).
 */
async function latestSnapshotRows(
  source: EvidenceSource,
  records: readonly KeyedRecord[],
  period: Period,
  objects: readonly { key: string; sha256: string | null }[],
): Promise<Map<string, SnapshotRow[]>> {
  const latest = records
    .filter((r) => r.record.kind === "snapshot" && inPeriod(period, r.record.createdAt.slice(0, 10)))
    .sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt))
    .at(-1);
  const object = latest === undefined ? null : snapshotObjectOf(latest.record);
  const intact = objects.some((o) => o.key === object?.key && o.sha256 === object?.sha256);
  if (object === null || !intact) return new Map();
  return new Map([[object.key, await readSnapshotRows(source.bucket, object.key)]]);
}

/** `evidence list`: one line per record of the period. */
export async function runEvidenceList(
  options: EvidenceCommandOptions & { user?: string; kind?: string },
  today: string,
): Promise<CommandResult> {
  const period = periodOf(options, today);
  if (options.kind !== undefined && !(LIST_KINDS as readonly string[]).includes(options.kind)) {
    throw new EvidenceOptionError(`--kind must be one of ${LIST_KINDS.join(", ")}, got "${options.kind}"`);
  }
  const { source, records } = await load(options, period);
  const listed = listRecords(validRecords(records), {
    period,
    ...(options.user ? { user: options.user } : {}),
    ...(options.kind ? { kind: options.kind as ListKind } : {}),
  });
  if (options.json) return { stdout: `${JSON.stringify(listed, null, 2)}\n`, exitCode: 0 };
  const lines = [`${listed.length} record(s) from ${period.from} to ${period.to} in ${source.where}`];
  const width = Math.max(0, ...listed.map((r) => (r.user ?? "-").length));
  for (const r of listed) {
    const what = r.lifecycle === null ? r.kind : `${r.lifecycle}${r.lift ? " (lift)" : ""}`;
    lines.push(`  ${r.createdAt}  ${what.padEnd(14)}  ${(r.user ?? "-").padEnd(width)}  ${r.summary}`);
    lines.push(`      ${r.key}`);
  }
  return { stdout: `${lines.join("\n")}\n`, exitCode: 0 };
}

function problemLine(p: EvidenceProblem): string {
  const key = p.kind === "gap" ? p.afterKey : p.kind === "duplicate" ? p.keys.join(", ") : p.key;
  return `  ${p.kind.padEnd(16)} ${key}\n      ${p.message}`;
}

/** The notes: records of the open day not yet covered (counted), then each check that did not run. */
function noteLines(v: EvidenceVerification): string[] {
  const pending = v.notes.filter((n) => n.kind === "not-yet-covered");
  const lines = v.notes.flatMap((n) => (n.kind === "check-unavailable" ? [`  note: ${n.message}`] : []));
  if (pending.length > 0) {
    lines.unshift(
      `  note: ${pending.length} record(s) of the open day ${[...new Set(pending.map((n) => n.date))].join(", ")} are not yet covered by a manifest (refreshed every few seconds; the day's closing manifest covers them)`,
    );
  }
  return lines;
}

/** A verification for people: what was checked, then OK or every problem with its key. */
export function formatVerification(v: EvidenceVerification, where: string): string {
  const valid = v.manifests.filter((m) => m.signature === "valid");
  const keyIds = [...new Set(valid.map((m) => m.keyId))];
  const anchor =
    v.anchor === null
      ? "no record in the period"
      : v.anchor.sequence === 0
        ? "from the first record ever written (sequence 0)"
        : `from sequence ${v.anchor.sequence}, ${v.anchor.signed ? "anchored by the signed manifest" : "NOT anchored by a signed manifest"}`;
  const lines = [
    `Evidence from ${v.period.from} to ${v.period.to} in ${where}`,
    `  records     ${v.records}`,
    `  manifests   ${v.manifests.length} (${valid.length} with a valid signature${keyIds.length > 0 ? `, key ${keyIds.join(", ")}` : ""})`,
    `  chain       ${anchor}`,
  ];
  lines.push(...noteLines(v));
  if (v.ok) {
    lines.push(
      v.records === 0
        ? "OK: nothing to verify in this period."
        : "OK: every record is in one unbroken hash chain and matches its signed daily manifest.",
    );
  } else {
    lines.push(`FAILED: ${v.problems.length} problem(s)`, ...v.problems.map(problemLine));
  }
  return `${lines.join("\n")}\n`;
}

/** `evidence verify`: the chain and the signed manifests of the period; exit 1 on any problem. */
export async function runEvidenceVerify(
  options: EvidenceCommandOptions,
  today: string,
): Promise<CommandResult> {
  const period = periodOf(options, today);
  const { source, verification } = await loadVerified(options, period, today);
  return {
    stdout: options.json
      ? `${JSON.stringify(verification, null, 2)}\n`
      : formatVerification(verification, source.where),
    exitCode: verification.ok ? 0 : 1,
  };
}

export interface ExportOptions extends EvidenceCommandOptions {
  /** A folder (created; must be empty if it exists) or a `.zip` file. */
  out: string;
  /** The leaver SLA as an ISO-8601 duration (`PT1H`, `PT30M`). @default PT1H */
  sla?: string;
}

async function writeFolder(
  folder: string,
  files: readonly { path: string; content: string }[],
  progress: (n: number) => void,
) {
  const existing = await readdir(folder).catch(() => []);
  if (existing.length > 0)
    throw new EvidenceOptionError(`--out ${folder} exists and is not empty: choose a new folder`);
  for (const [i, file] of files.entries()) {
    const target = path.join(folder, ...file.path.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
    progress(i + 1);
  }
}

async function writeZip(file: string, files: readonly { path: string; content: string }[], mtime: string) {
  const encoder = new TextEncoder();
  const entries = Object.fromEntries(
    files.map((f) => [f.path, [encoder.encode(f.content), { mtime: new Date(mtime) }] as const]),
  );
  const zipped = zipSync(entries as Parameters<typeof zipSync>[0], { level: 9 });
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, zipped);
  return zipped.byteLength;
}

/**
 * `evidence export`: the period's CSV files, report.html, the evidence records and manifests, and
 * manifest.json, to a folder or a zip. Written even when verification fails (the auditor needs to see
 * it); the exit code is then 1.
 */
export async function runEvidenceExport(options: ExportOptions, now: string): Promise<CommandResult> {
  let slaMs = DEFAULT_SLA_MS;
  if (options.sla !== undefined) {
    try {
      slaMs = durationMs(options.sla);
    } catch {
      throw new EvidenceOptionError(
        `--sla must be an ISO-8601 duration such as PT1H or PT30M, got "${options.sla}"`,
      );
    }
  }
  const period = periodOf(options, now.slice(0, 10));
  const { source, records, manifests, snapshotObjects, verification } = await loadVerified(
    options,
    period,
    now.slice(0, 10),
  );
  const valid = validRecords(records);
  const model = buildExportModel(valid, {
    period,
    slaMs,
    snapshotRows: await latestSnapshotRows(source, valid, period, snapshotObjects),
  });
  const files = buildExportPackage({
    model,
    verification,
    generatedAt: now,
    source: source.where,
    // The period's own records and manifests (not the neighbouring days read for the chain's edges).
    evidence: [...records, ...manifests].filter((o) => {
      const day = dayOfRecordKey(o.key) ?? dayOfManifestKey(o.key);
      return day !== null && inPeriod(period, day);
    }),
  });
  const progress = (done: number) => options.onProgress?.({ phase: "write", done, total: files.length });
  let size = "";
  if (options.out.toLowerCase().endsWith(".zip")) {
    const bytes = await writeZip(options.out, files, now);
    progress(files.length);
    size = ` (${(bytes / 1024).toFixed(1)} KiB)`;
  } else {
    await writeFolder(options.out, files, progress);
  }

  const f = model.figures;
  const l = f.leavers;
  const copied = files.filter((x) => x.path.startsWith("records/")).length;
  const lines = [
    `Exported evidence from ${period.from} to ${period.to} in ${source.where}`,
    `  to ${options.out}${size}: ${files.length - copied} files + ${copied} evidence records and manifests`,
    `  leavers.csv        ${String(model.leavers.length).padStart(5)} row(s)  SLA ${formatDuration(slaMs)} met ${l.slaMet}/${l.slaApplicable}${l.slaApplicable > 0 ? ` (${percent(l.slaMet, l.slaApplicable)})` : ""}${l.timeToRevoke ? `, median time-to-revoke ${formatDuration(l.timeToRevoke.medianMs)}` : ""}`,
    `  joiners.csv        ${String(model.joiners.length).padStart(5)} row(s)`,
    `  movers.csv         ${String(model.movers.length).padStart(5)} row(s)`,
    `  drift.csv          ${String(model.drift.length).padStart(5)} row(s)  ${f.drift.findings} finding(s), ${f.drift.actions} change(s) made`,
    `  access-review.csv  ${String(model.accessReview.length).padStart(5)} row(s)  ${f.accessReview ? `snapshot of ${f.accessReview.snapshotAt}` : "no snapshot in the period"}`,
    `  long-lived-credentials.csv  ${f.longLivedCredentials ? `${f.longLivedCredentials.holders} IAM user(s); humans holding long-lived credentials: ${f.longLivedCredentials.humans} (target 0)` : "no estate sweep in the period"}`,
    `  report.html, manifest.json (SHA-256 of every file)`,
    verification.ok
      ? `  verification       OK (${verification.records} records, ${verification.manifests.length} signed manifests)`
      : `  verification       FAILED: ${verification.problems.length} problem(s); run \`evidence verify\` for the list`,
  ];
  return { stdout: `${lines.join("\n")}\n`, exitCode: verification.ok ? 0 : 1 };
}

/** Progress on stderr: a bar on a terminal, a line every 10% otherwise (CI logs, pipes). */
function stderrProgress(): EvidenceCommandOptions["onProgress"] {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: "  {phase} [{bar}] {value}/{total}", stream: process.stderr, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    let phase = "";
    return (p) => {
      if (p.phase !== phase) {
        if (phase !== "") bar.stop();
        phase = p.phase;
        bar.start(p.total, 0, { phase: p.phase.padEnd(5) });
      }
      bar.update(p.done, { phase: p.phase.padEnd(5) });
      if (p.done === p.total) {
        bar.stop();
        phase = "";
      }
    };
  }
  let last = "";
  return (p) => {
    const step = `${p.phase}:${Math.floor((p.done / Math.max(1, p.total)) * 10)}`;
    if (p.total < 50 || step === last) return;
    last = step;
    process.stderr.write(
      `  ${p.phase === "list" ? "listing" : p.phase === "read" ? "reading" : "writing"} ${p.done}/${p.total}\n`,
    );
  };
}

interface CliOptions extends EvidenceSourceOptions, PeriodOptions {
  json?: boolean;
  user?: string;
  kind?: string;
  out?: string;
  sla?: string;
  publicKey?: string[];
}

const today = () => new Date().toISOString().slice(0, 10);

function withSourceOptions(command: Command): Command {
  return command
    .option("--from <day>", "first day, YYYY-MM-DD (UTC); default: --to")
    .option("--to <day>", "last day, YYYY-MM-DD (UTC); default: today")
    .option(
      "--bucket <name>",
      "a real evidence bucket (standard AWS credential chain); default: the local stack",
    )
    .option("--profile <name>", "AWS profile for --bucket and --kms-key-id")
    .option("--region <region>", "AWS region of the bucket and the KMS key")
    .option("--s3-endpoint <url>", "an S3-compatible endpoint for --bucket (path-style)")
    .option("--endpoints <file>", "the endpoints file npm start writes", ".local/endpoints.json")
    .option(
      "--public-key <file>",
      "a PEM public key to trust for manifest signatures (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--kms-key-id <id>", "trust the public key of this KMS signing key (GetPublicKey)")
    .option(
      "--state-table <name>",
      "with --bucket: the state table whose chain head (DynamoDB) verify checks the bucket against",
    );
}

function sourceOf(opts: CliOptions): EvidenceSourceOptions {
  return {
    endpoints: opts.endpoints,
    ...(opts.bucket ? { bucket: opts.bucket } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.s3Endpoint ? { s3Endpoint: opts.s3Endpoint } : {}),
    ...(opts.publicKey ? { publicKeys: opts.publicKey } : {}),
    ...(opts.kmsKeyId ? { kmsKeyId: opts.kmsKeyId } : {}),
    ...(opts.stateTable ? { stateTable: opts.stateTable } : {}),
  };
}

async function report(name: string, run: () => Promise<CommandResult>): Promise<void> {
  try {
    const result = await run();
    process.stdout.write(result.stdout);
    process.exitCode = result.exitCode;
  } catch (error) {
    console.error(`evidence ${name}: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

/** `evidence list | verify | export`, for auditors and the security team. */
export function registerEvidence(program: Command): void {
  const evidence = program
    .command("evidence")
    .description("list, verify and export the evidence for auditors (local stack or a real bucket)");

  withSourceOptions(evidence.command("list").description("list the evidence records of a period"))
    .option("--user <id>", "only this user's runs: Okta login or id, or Identity Center user id")
    .option("--kind <kind>", `only records of this kind: ${LIST_KINDS.join(", ")}`)
    .option("--json", "print JSON")
    .action((opts: CliOptions) =>
      report("list", () =>
        runEvidenceList(
          {
            ...sourceOf(opts),
            ...periodOptions(opts),
            ...(opts.user ? { user: opts.user } : {}),
            ...(opts.kind ? { kind: opts.kind } : {}),
            ...(opts.json ? { json: true } : {}),
          },
          today(),
        ),
      ),
    );

  withSourceOptions(
    evidence
      .command("verify")
      .description(
        "check the hash chain and the signed daily manifests; exit 1 on any gap, reorder, alteration or bad signature",
      ),
  )
    .option("--json", "print the verification as JSON")
    .action((opts: CliOptions) =>
      report("verify", () =>
        runEvidenceVerify(
          {
            ...sourceOf(opts),
            ...periodOptions(opts),
            ...(opts.json ? { json: true } : {}),
            onProgress: stderrProgress(),
          },
          today(),
        ),
      ),
    );

  withSourceOptions(
    evidence
      .command("export")
      .description(
        "write leavers/joiners/movers/drift/access-review CSV, report.html, the records and manifest.json",
      ),
  )
    .requiredOption("--out <dir|file.zip>", "a new folder, or a .zip file")
    .option("--sla <duration>", "leaver SLA, ISO-8601 (PT1H, PT30M)", "PT1H")
    .action((opts: CliOptions) =>
      report("export", () =>
        runEvidenceExport(
          {
            ...sourceOf(opts),
            ...periodOptions(opts),
            out: String(opts.out),
            ...(opts.sla ? { sla: opts.sla } : {}),
            onProgress: stderrProgress(),
          },
          new Date().toISOString(),
        ),
      ),
    );
}

function periodOptions(opts: PeriodOptions): PeriodOptions {
  return { ...(opts.from ? { from: opts.from } : {}), ...(opts.to ? { to: opts.to } : {}) };
}
