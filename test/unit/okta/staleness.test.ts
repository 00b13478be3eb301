import { describe, expect, it } from "vitest";
import {
  arrivalOf,
  DEFAULT_MAX_CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_EVENT_AGE_SECONDS,
  staleFlag,
} from "../../../core/okta/staleness.ts";

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

  it("does not flag an event dated in the future within the clock-skew allowance", () => {
    // Act
    const flag = staleFlag(published, "2026-01-01T11:58:00.000Z", 0);

    // Assess
    expect(flag).toBeNull();
  });
});

describe("arrivalOf", () => {
  const receivedAt = "2026-01-01T12:00:00.000Z";
  const options = { maxAgeSeconds: 900, maxSkewSeconds: DEFAULT_MAX_CLOCK_SKEW_SECONDS };

  it("keeps Okta's published for a timely event, and for one a little in the future (clock skew)", () => {
    // Act
    const timely = arrivalOf("2026-01-01T11:59:58.000Z", receivedAt, options);
    const skewed = arrivalOf("2026-01-01T12:04:59.000Z", receivedAt, options);

    // Assess
    expect(timely).toEqual({ published: "2026-01-01T11:59:58.000Z", stale: null, futureSeconds: null });
    expect(skewed).toEqual({ published: "2026-01-01T12:04:59.000Z", stale: null, futureSeconds: null });
  });

  it("flags an event dated beyond the skew allowance in the future, and dates it when it was received", () => {
    // Act
    const arrival = arrivalOf("2099-01-01T00:00:00.000Z", receivedAt, options);

    // Assess
    expect(arrival.published).toBe(receivedAt);
    expect(arrival.stale).toEqual({ ageSeconds: 0, maxAgeSeconds: 900 });
    expect(arrival.futureSeconds).toBe(
      Math.floor((Date.parse("2099-01-01T00:00:00.000Z") - Date.parse(receivedAt)) / 1000),
    );
  });

  it("flags an old event and keeps its published", () => {
    // Act
    const arrival = arrivalOf("2026-01-01T10:00:00.000Z", receivedAt, options);

    // Assess
    expect(arrival).toEqual({
      published: "2026-01-01T10:00:00.000Z",
      stale: { ageSeconds: 7200, maxAgeSeconds: 900 },
      futureSeconds: null,
    });
  });
});
