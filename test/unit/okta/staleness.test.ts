import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_EVENT_AGE_SECONDS, staleFlag } from "../../../core/okta/staleness.ts";

describe("staleFlag", () => {
  const published = "2026-01-01T12:00:00.000Z";

  it("does not flag an event received within the configured age", () => {
    // Act
    const flag = staleFlag(published, "2026-01-01T12:15:00.999Z", DEFAULT_MAX_EVENT_AGE_SECONDS);

    // Assess
    expect(flag).toBeNull();
  });

  it("flags an event received later than the configured age, with its age in whole seconds", () => {
    // Act
    const flag = staleFlag(published, "2026-01-01T13:00:00.500Z", 900);

    // Assess
    expect(flag).toEqual({ ageSeconds: 3600, maxAgeSeconds: 900 });
  });

  it("does not flag an event dated in the future (clock skew)", () => {
    // Act
    const flag = staleFlag(published, "2026-01-01T11:00:00.000Z", 0);

    // Assess
    expect(flag).toBeNull();
  });
});
