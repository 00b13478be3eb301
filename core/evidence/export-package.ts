import { exportCsvFiles } from "./export-csv.ts";
import type { ExportModel } from "./export-model.ts";
import { sha256Hex } from "./hash-chain.ts";
import { recordPath, renderReportHtml } from "./report-html.ts";
import type { EvidenceVerification, StoredObject } from "./verify-evidence.ts";

/*
 * The files of an auditor's export, ready to write to a folder or a zip: the CSV files, report.html,
 * every evidence record and signed manifest of the period as stored (under records/<key>), and
 * manifest.json with the SHA-256 of each of them and the verification result.
 */

export interface ExportFile {
  path: string;
  content: string;
}

export interface ExportPackageInput {
  model: ExportModel;
  verification: EvidenceVerification;
  generatedAt: string;
  source: string;
  /** The period's stored records and manifests, copied byte for byte (their text as stored). */
  evidence: readonly StoredObject[];
}

/** The export's own manifest format version. */
export const EXPORT_MANIFEST_VERSION = 1;

/** The files of the export, manifest.json last (it hashes all the others). */
export function buildExportPackage(input: ExportPackageInput): ExportFile[] {
  const files: ExportFile[] = [
    ...Object.entries(exportCsvFiles(input.model)).map(([path, content]) => ({ path, content })),
    { path: "report.html", content: renderReportHtml(input) },
    ...[...input.evidence]
      .sort((a, b) => Number(a.key > b.key) - Number(a.key < b.key))
      .map((o) => ({ path: recordPath(o.key), content: o.text })),
  ];
  const encoder = new TextEncoder();
  const { verification: v } = input;
  const manifest = {
    schemaVersion: EXPORT_MANIFEST_VERSION,
    kind: "evidence-export",
    generatedAt: input.generatedAt,
    source: input.source,
    period: input.model.figures.period,
    slaSeconds: input.model.figures.slaMs / 1_000,
    files: files.map((f) => ({
      path: f.path,
      sha256: sha256Hex(f.content),
      bytes: encoder.encode(f.content).byteLength,
    })),
    verification: {
      ok: v.ok,
      records: v.records,
      anchor: v.anchor,
      manifests: v.manifests,
      problems: v.problems,
    },
    figures: input.model.figures,
  };
  return [...files, { path: "manifest.json", content: `${JSON.stringify(manifest, null, 2)}\n` }];
}
