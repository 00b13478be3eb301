import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EvidenceStore } from "../../adapters/evidence-store.ts";
import { LocalEvidenceSigner } from "../../adapters/local-evidence-signer.ts";
import {
  type CommandResult,
  runEvidenceExport,
  runEvidenceList,
  runEvidenceVerify,
} from "../../cli/commands/evidence.ts";
import { sha256Hex } from "../../core/evidence/hash-chain.ts";
import { type SignedManifest, signedManifestText, signManifest } from "../../core/evidence/manifest.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";
import { DAY1, DAY2, SCENARIO_EXPECTED, scenarioDrafts } from "../support/evidence-scenario.ts";

const BUCKET = "evidence-cli";
const NOW = `${DAY2}T23:30:00.000Z`;

/** Parses our CSV (fields here hold no line breaks). */
function csv(text: string): Record<string, string>[] {
  const parse = (line: string) =>
    [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)]
      .slice(0, -1)
      .map((m) => (m[1]?.startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : (m[1] ?? "")));
  const [header, ...rows] = text.trimEnd().split("\r\n").map(parse);
  return rows.map((row) => Object.fromEntries((header ?? []).map((h, i) => [h, row[i] ?? ""])));
}

describe("evidence list | verify | export against an evidence bucket (s3rver + dynalite)", () => {
  let servers: StorageServers;
  let store: EvidenceStore;
  let dir: string;
  let endpoints: string;
  let keys: string[];
  let signer: LocalEvidenceSigner;
  /** The endpoints file without the state table (a bucket alone). */
  let bareEndpoints: string;
  const source = () => ({ endpoints, from: DAY1, to: DAY2 });

  beforeAll(async () => {
    servers = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: BUCKET,
      tables: { idempotency: "idem-cli", state: "state-cli" },
    });
    signer = LocalEvidenceSigner.generate();
    store = new EvidenceStore({
      s3: servers.s3,
      bucket: BUCKET,
      table: { doc: servers.doc, tableName: "state-cli" },
      signer,
    });
    for (const draft of scenarioDrafts()) await store.append(draft, draft.recordId);
    keys = (await store.list("v1/")).filter((k) => !k.startsWith("v1/chain/"));
    dir = await mkdtemp(path.join(tmpdir(), "evidence-cli-"));
    endpoints = path.join(dir, "endpoints.json");
    await writeFile(
      endpoints,
      JSON.stringify({
        aws: { endpoint: "http://127.0.0.1:1", region: "us-east-1" },
        evidence: {
          bucket: BUCKET,
          endpoint: servers.s3Endpoint,
          accessKeyId: "S3RVER",
          secretAccessKey: "S3RVER",
          signing: { keyId: signer.keyId, publicKeyPem: await signer.publicKeyPem() },
        },
        dynamodb: { endpoint: servers.dynamoEndpoint, tables: { state: "state-cli" } },
      }),
    );
    bareEndpoints = path.join(dir, "bare-endpoints.json");
    const { dynamodb: _, ...bare } = JSON.parse(await readFile(endpoints, "utf8"));
    await writeFile(bareEndpoints, JSON.stringify(bare));
  });
  afterAll(async () => {
    await servers.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs `tamper`, verifies, then puts the bucket back as it was. */
  async function verifyAfter(
    tamper: () => Promise<() => Promise<void>>,
    endpointsFile = endpoints,
  ): Promise<CommandResult> {
    const restore = await tamper();
    try {
      return await runEvidenceVerify({ ...source(), endpoints: endpointsFile }, DAY2);
    } finally {
      await restore();
    }
  }
  const put = (key: string, body: string) =>
    servers.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  const keyOf = (part: string) => keys.find((k) => k.includes(part)) as string;

  it("verifies the untouched period: one chain, every record in a signed manifest (exit 0)", async () => {
    // Act
    const result = await runEvidenceVerify(source(), DAY2);

    // Assess
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`records     ${SCENARIO_EXPECTED.records}`);
    expect(result.stdout).toContain("manifests   2 (2 with a valid signature, key local:");
    expect(result.stdout).toContain(
      "OK: every record is in one unbroken hash chain and matches its signed daily manifest.",
    );
  });

  it("names an altered record by its exact key (exit 1)", async () => {
    // Prepare
    const key = keyOf("user-carol.run");
    const original = await store.get(key);

    // Act
    const result = await verifyAfter(async () => {
      await put(key, original.replace('"DEPROVISIONED"', '"ACTIVE"'));
      return () => put(key, original).then(() => undefined);
    });

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`modified         ${key}`);
    expect(result.stdout).toContain(`record-altered   ${key}`);
  });

  it("names a removed record by its exact key, even the last one the chain cannot see", async () => {
    // Prepare
    const last = keys.at(-1) as string;
    const original = await store.get(last);

    // Act
    const result = await verifyAfter(async () => {
      await servers.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: last }));
      return () => put(last, original).then(() => undefined);
    });

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`FAILED: 2 problem(s)\n  record-missing   ${last}`);
    expect(result.stdout).toContain(`chain-head       ${last}`);
  });

  it("fails a truncated tail re-signed with the real key: the chain head in the state table names it", async () => {
    // Prepare: the last record removed, and day 2's manifest re-signed without it by the real key
    const last = keys.at(-1) as string;
    const original = await store.get(last);
    const manifestKey = "v1/chain/2024/05/02.json";
    const manifest = await store.get(manifestKey);
    const { manifest: day2 } = JSON.parse(manifest) as SignedManifest;
    const records = day2.records.filter((r) => r.key !== last);
    const truncated = { ...day2, records, lastSequence: (records.at(-1) as { sequence: number }).sequence };

    // Act
    const result = await verifyAfter(async () => {
      await servers.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: last }));
      await put(manifestKey, signedManifestText(await signManifest(truncated, signer)));
      return async () => {
        await put(last, original);
        await put(manifestKey, manifest);
      };
    });
    const withoutTable = await verifyAfter(async () => {
      await servers.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: last }));
      await put(manifestKey, signedManifestText(await signManifest(truncated, signer)));
      return async () => {
        await put(last, original);
        await put(manifestKey, manifest);
      };
    }, bareEndpoints);

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`FAILED: 1 problem(s)\n  chain-head       ${last}`);
    expect(result.stdout).toContain("the stored chain ends at sequence 9");
    expect(withoutTable.exitCode).toBe(0);
    expect(withoutTable.stdout).toContain("note: the chain head was not checked: no state table was given");
    expect(withoutTable.stdout).toContain(
      "note: delete markers were not checked: this store cannot list object versions (ListObjectVersions: MethodNotAllowed)",
    );
  });

  it("names records reordered in the bucket by both keys", async () => {
    // Prepare: swap the contents of two consecutive records
    const [a, b] = [keyOf("user-alice.run"), keyOf("user-carol.run")];
    const [textA, textB] = [await store.get(a), await store.get(b)];

    // Act
    const result = await verifyAfter(async () => {
      await put(a, textB);
      await put(b, textA);
      return async () => {
        await put(a, textA);
        await put(b, textB);
      };
    });

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`reorder          ${a}`);
    expect(result.stdout).toContain(`reorder          ${b}`);
    expect(result.stdout).toContain(`record-moved     ${a}`);
    expect(result.stdout).toContain(
      `${a} holds the record the signed manifest v1/chain/2024/05/01.json lists as ${b}`,
    );
  });

  it("reports a manifest altered after signing, and a public key that did not sign it, as bad signatures", async () => {
    // Prepare
    const manifest = "v1/chain/2024/05/02.json";
    const original = await store.get(manifest);
    const otherKey = path.join(dir, "other.pem");
    await writeFile(otherKey, await LocalEvidenceSigner.generate().publicKeyPem());

    // Act
    const altered = await verifyAfter(async () => {
      await put(manifest, original.replace('"lastSequence":10', '"lastSequence":9'));
      return () => put(manifest, original).then(() => undefined);
    });
    const wrongKey = await runEvidenceVerify({ ...source(), publicKeys: [otherKey] }, DAY2);

    // Assess
    expect(altered.exitCode).toBe(1);
    expect(altered.stdout).toMatch(
      /bad-signature {4}v1\/chain\/2024\/05\/02\.json\n.*the signature \(key local:[0-9a-f]{16}\) does not verify/,
    );
    expect(wrongKey.exitCode).toBe(1);
    expect(wrongKey.stdout).toContain("manifests   2 (0 with a valid signature)");
  });

  it("lists the period's records, filtered by user and kind", async () => {
    // Act
    const all = await runEvidenceList(source(), DAY2);
    const alice = await runEvidenceList({ ...source(), user: "alice@example.com" }, DAY2);
    const movers = await runEvidenceList({ ...source(), kind: "mover", json: true }, DAY2);

    // Assess
    expect(all.stdout.split("\n")[0]).toBe(
      `11 record(s) from ${DAY1} to ${DAY2} in s3://${BUCKET} at ${servers.s3Endpoint} (local stack)`,
    );
    expect(alice.stdout).toContain("leaver (lift)   alice@example.com  Deny lifted after the hold");
    expect(JSON.parse(movers.stdout).map((r: { user: string }) => r.user)).toEqual(["frank@example.com"]);
    await expect(runEvidenceList({ ...source(), kind: "auditor" }, DAY2)).rejects.toThrow(
      "--kind must be one of",
    );
  });

  it("exports a period with rows and figures that match the runs that produced them, hashed in manifest.json", async () => {
    // Prepare
    const out = path.join(dir, "export");
    const progress: string[] = [];

    // Act
    const result = await runEvidenceExport(
      { ...source(), out, onProgress: (p) => progress.push(p.phase) },
      NOW,
    );

    // Assess: the summary
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(
      "leavers.csv            4 row(s)  SLA 1 h 00 min met 1/3 (33.3%), median time-to-revoke 40.0 s",
    );
    expect(result.stdout).toContain("verification       OK (11 records, 2 signed manifests)");
    expect(new Set(progress)).toEqual(new Set(["list", "read", "write"]));

    // leavers.csv against the stored run records
    const leavers = csv(await readFile(path.join(out, "leavers.csv"), "utf8"));
    expect(leavers.map((l) => [l.login, l.outcome, l.sla_met])).toEqual([
      ["alice@example.com", "revoked", "yes"],
      ["carol@example.com", "incomplete", "no"],
      ['\'=HYPERLINK("http://evil")', "revoked", "no"],
      ["dave@example.com", "not-revoked", "n/a"],
    ]);
    for (const row of leavers) {
      const record = JSON.parse(await store.get(row.evidence_key as string));
      expect(row.okta_deactivated_at).toBe(record.body.timings.oktaPublished);
      expect(row.deny_in_force_at).toBe(record.body.timings.denyInForce ?? "");
      expect(row.access_removed_at).toBe(record.body.timings.accessRemoved ?? "");
      expect(row.accounts_affected).toBe(record.body.truth.identityCenter.accountsWithAccess.join("; "));
    }
    expect(leavers[0]?.time_to_revoke_s).toBe("40");

    // the other files
    const rows = async (file: string) => csv(await readFile(path.join(out, file), "utf8"));
    expect((await rows("joiners.csv")).map((r) => [r.login, r.changes, r.findings])).toEqual([
      ["erin@example.com", "membership.add SUCCEEDED", "scim-lag"],
    ]);
    expect((await rows("movers.csv")).map((r) => [r.login, r.time_to_deny_in_force_s])).toEqual([
      ["frank@example.com", "1.5"],
    ]);
    const drift = await rows("drift.csv");
    expect(drift.filter((d) => d.type === "finding")).toHaveLength(SCENARIO_EXPECTED.drift.findings);
    expect(drift.filter((d) => d.type === "not-applied")).toHaveLength(SCENARIO_EXPECTED.drift.notApplied);
    expect(await rows("access-review.csv")).toHaveLength(SCENARIO_EXPECTED.accessReviewRows);

    // manifest.json hashes every file as written, and carries the verification
    const manifest = JSON.parse(await readFile(path.join(out, "manifest.json"), "utf8"));
    expect(manifest.verification).toMatchObject({ ok: true, records: 11 });
    // 6 CSV files and report.html, 11 records, 2 manifests
    expect(manifest.files).toHaveLength(7 + 11 + 2);
    // no sweep in the scenario: long-lived-credentials.csv has the header only
    expect(await rows("long-lived-credentials.csv")).toHaveLength(0);
    for (const file of manifest.files) {
      expect(sha256Hex(await readFile(path.join(out, file.path), "utf8"))).toBe(file.sha256);
    }
    const report = await readFile(path.join(out, "report.html"), "utf8");
    expect(report).toContain(
      'data-figure="leavers"><div class="label">Leavers</div><div class="value">4</div>',
    );
  });

  it("writes the same files into a zip, and refuses to export into a folder that is not empty", async () => {
    // Prepare
    const folder = path.join(dir, "export");
    const zip = path.join(dir, "nested", "evidence.zip");

    // Act
    const result = await runEvidenceExport({ ...source(), out: zip }, NOW);

    // Assess
    expect(result.stdout).toMatch(
      /to .*evidence\.zip \(\d+\.\d KiB\): 8 files \+ 13 evidence records and manifests/,
    );
    expect(result.stdout).toContain("long-lived-credentials.csv  no estate sweep in the period");
    const entries = unzipSync(await readFile(zip));
    const onDisk = (await readdir(folder, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => path.relative(folder, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
      .sort();
    expect(Object.keys(entries).sort()).toEqual(onDisk);
    for (const name of onDisk) {
      expect(new TextDecoder().decode(entries[name])).toBe(await readFile(path.join(folder, name), "utf8"));
    }
    await expect(runEvidenceExport({ ...source(), out: folder }, NOW)).rejects.toThrow(
      "exists and is not empty",
    );
    await expect(runEvidenceExport({ ...source(), out: zip, sla: "1h" }, NOW)).rejects.toThrow(
      "--sla must be an ISO-8601 duration",
    );
  });

  it("is wired into the CLI: exit 0 on an intact bucket, 1 with the key when a record was altered", async () => {
    // Prepare
    const cli = path.resolve("cli/bin.js");
    const args = ["evidence", "verify", "--endpoints", endpoints, "--from", DAY1, "--to", DAY2];
    const key = keyOf("user-erin.run");
    const original = await store.get(key);

    // Act (asynchronously: s3rver answers from this very process)
    const ok = await promisify(execFile)(process.execPath, [cli, ...args], { encoding: "utf8" });
    await put(key, original.replace("scim-lag", "nothing"));
    let failed: { code: number; stdout: string } = { code: 0, stdout: "" };
    try {
      await promisify(execFile)(process.execPath, [cli, ...args], { encoding: "utf8" });
    } catch (error) {
      failed = error as { code: number; stdout: string };
    } finally {
      await put(key, original);
    }

    // Assess
    expect(ok.stdout).toContain("OK: every record is in one unbroken hash chain");
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`record-altered   ${key}`);
  });

  it("says what is missing when there is no local stack and no bucket, or no key to check signatures with", async () => {
    await expect(runEvidenceVerify({ endpoints: path.join(dir, "none.json") }, DAY2)).rejects.toThrow(
      "start the local stack (npm start) or name the evidence bucket with --bucket",
    );
    await expect(
      runEvidenceVerify(
        { endpoints, bucket: BUCKET, s3Endpoint: servers.s3Endpoint, region: "us-east-1" },
        DAY2,
      ),
    ).rejects.toThrow("no public key to check the manifest signatures with");
  });
});
