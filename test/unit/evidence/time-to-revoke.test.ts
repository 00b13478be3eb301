import { describe, expect, it } from "vitest";
import type { RunRecord } from "../../../core/evidence/record.ts";
import { timeToRevoke } from "../../../core/evidence/time-to-revoke.ts";
import { at, estateRunDraft, userRunDraft } from "./evidence-builders.ts";

const run = (draft: ReturnType<typeof userRunDraft> | ReturnType<typeof estateRunDraft>): RunRecord =>
  ({ ...draft, sequence: 0, previousHash: null }) as RunRecord;

describe("timeToRevoke", () => {
  it("measures from Okta's publication to the Deny in force and to the access removed", () => {
    expect(timeToRevoke(run(userRunDraft()))).toEqual({ toDenyInForceMs: 4_200, toAccessRemovedMs: 61_500 });
  });

  it("gives null for an instant the run did not reach", () => {
    const draft = userRunDraft();
    delete draft.body.timings.accessRemoved;
    expect(timeToRevoke(run(draft))).toEqual({ toDenyInForceMs: 4_200, toAccessRemovedMs: null });
  });

  it("gives null for both without the Okta publication time (an estate run)", () => {
    expect(timeToRevoke(run(estateRunDraft()))).toEqual({ toDenyInForceMs: null, toAccessRemovedMs: null });
  });

  it("reports clock skew as measured (negative), rather than hiding it", () => {
    const draft = userRunDraft();
    draft.body.timings.denyInForce = at(-250);
    expect(timeToRevoke(run(draft)).toDenyInForceMs).toBe(-250);
  });
});
