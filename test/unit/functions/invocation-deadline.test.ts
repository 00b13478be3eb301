import { describe, expect, it } from "vitest";
import {
  InvocationDeadline,
  OKTA_WAIT_SAFETY_MARGIN_MS,
} from "../../../functions/shared/invocation-deadline.ts";

describe("InvocationDeadline", () => {
  it("has no limit outside an invocation", () => {
    // Prepare
    const deadline = new InvocationDeadline();

    // Act / Assess
    expect(deadline.remainingTimeMs()).toBe(Number.POSITIVE_INFINITY);
  });

  it("reads the current invocation's remaining time minus the safety margin, never below 0", () => {
    // Prepare
    const deadline = new InvocationDeadline();
    let left = 30_000;
    const { remainingTimeMs } = deadline;

    // Act
    deadline.enter({ getRemainingTimeInMillis: () => left });
    const early = remainingTimeMs();
    left = 1_000;
    const late = remainingTimeMs();
    deadline.enter({ getRemainingTimeInMillis: () => 900_000 });
    const next = remainingTimeMs();

    // Assess
    expect([early, late, next]).toEqual([
      30_000 - OKTA_WAIT_SAFETY_MARGIN_MS,
      0,
      900_000 - OKTA_WAIT_SAFETY_MARGIN_MS,
    ]);
  });
});
