// bench/evidence-append: what one evidence append costs as the day's record count grows. Each append
// claims a chain position, indexes the record for its day, stores it, and rewrites the day's signed
// manifest from the whole day index (adapters/daily-manifests.ts), so its cost grows with the day.
// Local: s3rver + dynalite, a local signing key. Writes bench/results/evidence-append.json.
import { writeFile } from "node:fs/promises";
import { EvidenceStore } from "../adapters/evidence-store.ts";
import { LocalEvidenceSigner } from "../adapters/local-evidence-signer.ts";
import type { EvidenceDraft } from "../core/evidence/record.ts";
import { startStorageServers } from "../local/runtime/storage-servers.ts";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 3000);
const STEP = 250;

const storage = await startStorageServers({
  s3Port: 0,
  dynamoPort: 0,
  bucket: "bench-evidence",
  tables: { idempotency: "bench-idem", state: "bench-state" },
});
const store = new EvidenceStore({
  s3: storage.s3,
  bucket: "bench-evidence",
  table: { doc: storage.doc, tableName: "bench-state" },
  signer: LocalEvidenceSigner.generate(),
});
const draft = (i: number): EvidenceDraft => ({
  schemaVersion: 1,
  recordId: `bench-${i}`,
  runId: `bench-${i}`,
  kind: "user-run",
  createdAt: new Date().toISOString(),
  body: {
    subject: { oktaUserId: "00ubench", login: "bench@example.com", identityCenterUserId: null },
    trigger: { type: "manual", requestedBy: "bench" },
    truth: { okta: {}, identityCenter: {} },
    plan: { actions: [], findings: [], blockedReason: null },
    actions: [],
    verification: null,
    timings: {},
  },
});

const cases: { records: number; msPerAppend: number }[] = [];
let last = performance.now();
for (let i = 0; i < RECORDS; i++) {
  await store.append(draft(i), `bench-${i}`);
  if ((i + 1) % STEP === 0) {
    const ms = (performance.now() - last) / STEP;
    cases.push({ records: i + 1, msPerAppend: Math.round(ms * 10) / 10 });
    last = performance.now();
    console.log(`${String(i + 1).padStart(6)} records today: ${ms.toFixed(1)} ms per append`);
  }
}
await storage.close();
const first = cases[0];
const lastCase = cases.at(-1);
if (first && lastCase) {
  const perRecord = (lastCase.msPerAppend - first.msPerAppend) / (lastCase.records - first.records);
  console.log(
    `growth: ${(perRecord * 1000).toFixed(1)} µs per append for each record already written that day ` +
      `(a constant-cost append would stay at ${first.msPerAppend} ms)`,
  );
}
await writeFile("bench/results/evidence-append.json", `${JSON.stringify({ cases }, null, 2)}\n`);
