import { describe, expect, it } from "vitest";
import { checkEvidenceLock } from "../../../cli/doctor/evidence-lock-check.ts";
import { checkPollerCursor } from "../../../cli/doctor/poller-check.ts";

/** An S3 client stand-in answering GetObjectLockConfiguration the way S3 does (value or error). */
const s3 = (answer: unknown) =>
  ({
    send: async () => {
      if (answer instanceof Error) throw answer;
      return answer;
    },
  }) as never;
const awsError = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe("doctor: evidence bucket lock", () => {
  it("passes COMPLIANCE mode with a default retention", async () => {
    // Act
    const result = await checkEvidenceLock({
      s3: s3({
        ObjectLockConfiguration: {
          ObjectLockEnabled: "Enabled",
          Rule: { DefaultRetention: { Mode: "COMPLIANCE", Days: 400 } },
        },
      }),
      bucket: "evidence",
    });

    // Assess
    expect(result).toEqual({
      check: "Evidence bucket lock",
      status: "ok",
      detail: "evidence: Object Lock COMPLIANCE, default retention 400 days",
    });
  });

  it.each([
    [
      "GOVERNANCE mode",
      {
        ObjectLockConfiguration: {
          ObjectLockEnabled: "Enabled",
          Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 1 } },
        },
      },
      /not COMPLIANCE \(GOVERNANCE can be bypassed\)/,
    ],
    [
      "no default retention",
      { ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } },
      /default retention is not set/,
    ],
    [
      "no Object Lock",
      awsError("ObjectLockConfigurationNotFoundError", 404),
      /has no Object Lock configuration/,
    ],
    ["access denied", awsError("AccessDenied", 403), /AccessDenied/],
  ])("reports %s as a problem with a fix", async (_case, answer, detail) => {
    // Act
    const result = await checkEvidenceLock({ s3: s3(answer), bucket: "evidence" });

    // Assess
    expect(result.status).toBe("problem");
    expect(result.detail).toMatch(detail);
    expect(result.fix).toBeTruthy();
  });

  it("reports a store without Object Lock support as not supported, never as a pass", async () => {
    // Act
    const result = await checkEvidenceLock({ s3: s3(awsError("NotImplemented", 501)), bucket: "evidence" });

    // Assess
    expect(result.status).toBe("unsupported");
    expect(result.detail).toContain("not supported by the local emulator");
  });
});

describe("doctor: poller cursor", () => {
  const doc = (item: unknown) => ({ send: async () => ({ Item: item }) }) as never;
  const now = () => "2026-11-23T12:00:00.000Z";

  it("accepts a cursor advanced within three intervals and flags an older one", async () => {
    // Act
    const fresh = await checkPollerCursor({
      doc: doc({ updatedAt: "2026-11-23T11:50:00.000Z" }),
      stateTable: "state",
      pollMinutes: 5,
      now,
    });
    const stale = await checkPollerCursor({
      doc: doc({ updatedAt: "2026-11-23T11:00:00.000Z" }),
      stateTable: "state",
      pollMinutes: 5,
      now,
    });

    // Assess
    expect(fresh).toMatchObject({ status: "ok", detail: "advanced 600 s ago (2026-11-23T11:50:00.000Z)" });
    expect(stale).toMatchObject({
      status: "problem",
      detail: expect.stringContaining("60 min ago (expected within 15 min)"),
    });
  });
});
