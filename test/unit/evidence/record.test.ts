import { describe, expect, it } from "vitest";
import { type EvidenceRecord, parseEvidenceRecord } from "../../../core/evidence/record.ts";
import { estateRunDraft, snapshotDraft, userRunDraft } from "./evidence-builders.ts";

const HASH = "ab".repeat(32);
const chained = <D extends object>(draft: D, sequence = 1, previousHash: string | null = HASH) => ({
  ...structuredClone(draft),
  sequence,
  previousHash,
});
const errorsOf = (value: unknown) => {
  const parsed = parseEvidenceRecord(value);
  return parsed.success ? [] : parsed.errors;
};

describe("evidence record schema", () => {
  it.each([
    ["user-run", userRunDraft()],
    ["estate-run", estateRunDraft()],
    ["snapshot", snapshotDraft()],
  ])("accepts a complete %s record", (_, draft) => {
    const record = chained(draft);
    expect(parseEvidenceRecord(record)).toEqual({ success: true, data: record });
  });

  it("accepts the genesis record: sequence 0 with a null previousHash", () => {
    expect(parseEvidenceRecord(chained(userRunDraft(), 0, null)).success).toBe(true);
  });

  it("rejects a null previousHash after the genesis record", () => {
    expect(errorsOf(chained(userRunDraft(), 4, null))).toEqual([
      {
        path: "previousHash",
        message: "only the first record of the chain (sequence 0) may have a null previousHash",
      },
    ]);
  });

  it("rejects an unknown kind, naming the field", () => {
    expect(errorsOf({ ...chained(userRunDraft()), kind: "audit" })).toEqual([
      { path: "kind", message: expect.stringContaining("user-run") },
    ]);
  });

  it("rejects a field the schema does not know, instead of dropping it", () => {
    const record = chained(userRunDraft());
    record.body.timings = { ...record.body.timings, slaMet: true } as typeof record.body.timings;
    expect(errorsOf(record)).toEqual([{ path: "body.timings", message: expect.stringContaining("slaMet") }]);
  });

  it("keeps extra fields where later issues own the shape (plan actions, truth summaries, checks)", () => {
    const record = chained(userRunDraft());
    record.body.plan.actions = [{ kind: "deny.add", deny: { userId: "u", scope: "all" } }];
    record.body.truth.okta = { userStatus: null, lastLogin: "2024-01-01T00:00:00Z" };
    record.body.verification = { passed: false, details: [{ check: "deny", passed: false, account: "1" }] };
    expect(parseEvidenceRecord(record)).toEqual({ success: true, data: record });
  });

  it.each([
    [
      "a createdAt with an offset",
      (r: EvidenceRecord) => Object.assign(r, { createdAt: "2024-05-01T12:00:00+02:00" }),
      "createdAt",
    ],
    [
      "an upper-case hash",
      (r: EvidenceRecord) => Object.assign(r, { previousHash: HASH.toUpperCase() }),
      "previousHash",
    ],
    ["a negative sequence", (r: EvidenceRecord) => Object.assign(r, { sequence: -1 }), "sequence"],
    ["a fractional sequence", (r: EvidenceRecord) => Object.assign(r, { sequence: 1.5 }), "sequence"],
    ["schema version 2", (r: EvidenceRecord) => Object.assign(r, { schemaVersion: 2 }), "schemaVersion"],
    ["an empty recordId", (r: EvidenceRecord) => Object.assign(r, { recordId: "" }), "recordId"],
  ])("rejects %s", (_, change, path) => {
    expect(errorsOf(change(chained(userRunDraft())))).toEqual([{ path, message: expect.any(String) }]);
  });

  it("says how an instant must look", () => {
    const record = chained(userRunDraft());
    record.body.timings.denyInForce = "yesterday";
    expect(errorsOf(record)).toEqual([
      {
        path: "body.timings.denyInForce",
        message: "expected an ISO-8601 UTC instant such as 2024-05-01T12:00:00.000Z",
      },
    ]);
  });

  it("rejects an action outcome with an unknown status or negative attempts", () => {
    const record = chained(userRunDraft());
    Object.assign(record.body.actions[0] ?? {}, { status: "DONE", attempts: -1 });
    expect(errorsOf(record).map((e) => e.path)).toEqual([
      "body.actions[0].status",
      "body.actions[0].attempts",
    ]);
  });

  it.each([
    { type: "schedule" },
    { type: "schedule", schedule: "hourly" },
    { type: "manual", requestedBy: "alice@example.com", reason: "audit" },
    { type: "policy-change", revision: "3f2a9c1" },
    { type: "account-event", accountId: "333333333333", eventName: "CreateAccountResult" },
  ])("accepts a %j trigger", (trigger) => {
    const record = chained(estateRunDraft());
    Object.assign(record.body, { trigger });
    expect(parseEvidenceRecord(record).success).toBe(true);
  });

  it("rejects an events trigger without events and a manual trigger without who asked", () => {
    const noEvents = chained(userRunDraft());
    Object.assign(noEvents.body, { trigger: { type: "events", events: [] } });
    const anonymous = chained(userRunDraft());
    Object.assign(anonymous.body, { trigger: { type: "manual" } });
    expect(errorsOf(noEvents).map((e) => e.path)).toEqual(["body.trigger.events"]);
    expect(errorsOf(anonymous).map((e) => e.path)).toEqual(["body.trigger.requestedBy"]);
  });

  it("records a stale trigger event with its age, and rejects a malformed stale flag", () => {
    // Prepare
    const flagged = chained(userRunDraft());
    const event = { ...flagged.body.trigger, events: [] as unknown[] };
    const base = (userRunDraft().body.trigger as { events: Record<string, unknown>[] }).events[0];
    event.events = [{ ...base, stale: { ageSeconds: 3600, maxAgeSeconds: 900 } }];
    Object.assign(flagged.body, { trigger: event });
    const malformed = chained(userRunDraft());
    Object.assign(malformed.body, {
      trigger: {
        type: "events",
        events: [{ ...base, stale: { ageSeconds: -1, maxAgeSeconds: 900, why: "x" } }],
      },
    });

    // Act
    const accepted = parseEvidenceRecord(flagged);
    const rejected = errorsOf(malformed).map((e) => e.path);

    // Assess
    expect(accepted).toEqual({ success: true, data: flagged });
    expect(rejected).toEqual(["body.trigger.events[0].stale.ageSeconds", "body.trigger.events[0].stale"]);
  });

  it("rejects a snapshot row with a malformed account id", () => {
    const record = chained(snapshotDraft());
    Object.assign(record.body, {
      rows: [{ userId: "u", userName: "n", groupName: "g", permissionSetName: "p", accountId: "12" }],
    });
    expect(errorsOf(record)).toEqual([
      { path: "body.rows[0].accountId", message: "an AWS account id is exactly 12 digits" },
    ]);
  });

  it("requires a user run to name its subject; an estate run has none", () => {
    const { subject: _, ...withoutSubject } = userRunDraft().body;
    const userRun = { ...chained(userRunDraft()), body: withoutSubject };
    const estateRun = chained(estateRunDraft());
    Object.assign(estateRun.body, { subject: userRunDraft().body.subject });
    expect(errorsOf(userRun).map((e) => e.path)).toEqual(["body.subject"]);
    expect(errorsOf(estateRun)).toEqual([{ path: "body", message: expect.stringContaining("subject") }]);
  });
});
