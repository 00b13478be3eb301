import { describe, expect, it } from "vitest";
import { bundles } from "../../bench/ingress.ts";

/**
 * The README's size budget (bytes are exact). Module-init time is a speed figure: `npm run bench --
 * ingress` reports it; here a bundle only has to load with its configuration.
 */
const MAX_BYTES = 1.5 * 1024 * 1024;

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
      expect(Number.isFinite(initMs) && initMs > 0, `${name} loaded`).toBe(true);
    }
  }, 60_000);
});
