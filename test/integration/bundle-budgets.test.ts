import { describe, expect, it } from "vitest";
import { bundles } from "../../bench/ingress.ts";

/** The README's budgets (bytes are exact; init time gets CI-machine headroom here, the bench reports it). */
const MAX_BYTES = 1.5 * 1024 * 1024;
const MAX_INIT_MS = 1_000;

describe("Lambda bundles (esbuild, as deployed)", () => {
  it("stay within the size budget, and every bundle loads with its configuration", async () => {
    // Act
    const measured = await bundles();

    // Assess
    expect(Object.keys(measured).sort()).toEqual([
      "dispatch",
      "okta-hook",
      "okta-log-poll",
      "okta-logstream",
    ]);
    for (const [name, { bytes, initMs }] of Object.entries(measured)) {
      expect(bytes, name).toBeLessThanOrEqual(MAX_BYTES);
      expect(initMs, name).toBeLessThan(MAX_INIT_MS);
    }
  }, 60_000);
});
