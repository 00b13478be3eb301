import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { formatSummary, runCampaign } from "../../chaos/campaign.ts";
import { faultSchema, formatScenario } from "../../chaos/scenario.ts";
import { runReplay } from "../../cli/commands/replay-scenario.ts";

/**
 * Issue 8 in CI: a scripted history that injects every fault kind, and a bounded campaign of
 * generated histories (`npm run chaos` runs many more). Both must converge to the oracle.
 */
describe("chaos: the pipeline converges to the oracle under faults", () => {
  it("survives a scripted history with every fault kind (replay-scenario)", {
    timeout: 180_000,
  }, async () => {
    // Prepare
    const file = "test/chaos/every-fault.scenario.json";
    const kinds = faultSchema.options.map((o) => o.shape.kind.value);

    // Act
    const out = await runReplay(file);
    console.log(out.stdout);

    // Assess
    expect(out.stderr).toBe("");
    expect(out.stdout).toContain("divergences: 0");
    expect(out.exitCode).toBe(0);
    const scripted = JSON.parse(await readFile(file, "utf8")).steps.flatMap(
      (s: { fault?: { kind: string } }) => (s.fault ? [s.fault.kind] : []),
    );
    expect(new Set(scripted)).toEqual(new Set(kinds));
  });

  it("survives the histories that once found bugs (test/chaos/found/)", { timeout: 180_000 }, async () => {
    const files = (await readdir("test/chaos/found")).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const out = await runReplay(`test/chaos/found/${file}`);
      expect(out.stdout, file).toContain("divergences: 0");
    }
  });

  it("converges on every generated history of a bounded campaign", { timeout: 300_000 }, async () => {
    // Act
    const summary = await runCampaign({ seed: 20261124, runs: 6, timeBudgetMs: 180_000, maxSteps: 12 });
    console.log(formatSummary(summary));
    // A divergence prints its shrunk history: save it and run `okta-aws-lifecycle replay-scenario FILE`.
    if (summary.counterexample) console.log(formatScenario(summary.counterexample));

    // Assess
    expect(summary.counterexample).toBeNull();
    expect(summary.divergences).toBe(0);
    expect(summary.histories).toBeGreaterThan(0);
  });

  it("refuses a scenario file that is not one, naming the field", async () => {
    const out = await runReplay("bad.json", {
      read: async () => JSON.stringify({ version: 1, seed: 1, steps: [{ op: "suspend", user: "nobody" }] }),
    });
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(/steps\[0\]\.user/);
  });
});
