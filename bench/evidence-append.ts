// bench/evidence-append: what one evidence append costs as the day's record count grows. Each append
// claims a chain position, indexes the record for its day, stores it, and lets the manifests catch up
// (adapters/daily-manifests.ts): the open day's signed manifest is rewritten from the whole day index at
// most every DEFAULT_MANIFEST_INTERVAL_MS (5 s), so the per-append cost should not grow with the day.
// Also counts the manifests written, next to the limit the interval allows (one at the start, then one
// per interval). Local: s3rver + dynalite, a local signing key. Writes bench/results/evidence-append.json.
import { writeFile } from "node:fs/promises";
import { DEFAULT_MANIFEST_INTERVAL_MS } from "../adapters/daily-manifests.ts";
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
let manifestWrites = 0;
storage.s3.middlewareStack.add(
  (next, context) => async (args) => {
    const key = (args.input as { Key?: string }).Key;
    if (context.commandName === "PutObjectCommand" && key?.startsWith("v1/chain/")) manifestWrites++;
    return next(args);
  },
  { step: "initialize", name: "countManifestWrites" },
);
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
const started = performance.now();
let last = started;
for (let i = 0; i < RECORDS; i++) {
  await store.append(draft(i), `bench-${i}`);
  if ((i + 1) % STEP === 0) {
    const ms = (performance.now() - last) / STEP;
    cases.push({ records: i + 1, msPerAppend: Math.round(ms * 10) / 10 });
    last = performance.now();
    console.log(`${String(i + 1).padStart(6)} records today: ${ms.toFixed(1)} ms per append`);
  }
}
const elapsedMs = performance.now() - started;
await storage.close();
const manifestLimit = 1 + Math.floor(elapsedMs / DEFAULT_MANIFEST_INTERVAL_MS);
console.log(
  `manifests written: ${manifestWrites} for ${RECORDS} appends in ${(elapsedMs / 1000).toFixed(1)} s ` +
    `(${(manifestWrites / RECORDS).toFixed(4)} per append; the ${DEFAULT_MANIFEST_INTERVAL_MS / 1000} s interval allows at most ${manifestLimit}, ` +
    `${(manifestLimit / RECORDS).toFixed(4)} per append; before, every append wrote one)`,
);
const first = cases[0];
const lastCase = cases.at(-1);
if (first && lastCase) {
  const perRecord = (lastCase.msPerAppend - first.msPerAppend) / (lastCase.records - first.records);
  console.log(
    `growth: ${(perRecord * 1000).toFixed(1)} µs per append for each record already written that day ` +
      `(a constant-cost append would stay at ${first.msPerAppend} ms)`,
  );
}
await writeFile(
  "bench/results/evidence-append.json",
  `${JSON.stringify(
    {
      cases,
      manifests: {
        written: manifestWrites,
        appends: RECORDS,
        seconds: Math.round(elapsedMs / 100) / 10,
        intervalMs: DEFAULT_MANIFEST_INTERVAL_MS,
        limit: manifestLimit,
      },
    },
    null,
    2,
  )}\n`,
);
