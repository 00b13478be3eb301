import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MARKERS, renderPermissionsTable, replaceBlock, TARGETS } from "../../scripts/permissions-table.ts";

describe("scripts/permissions-table", () => {
  it.each(TARGETS.map((t) => [t.file, t]))("keeps the generated table in %s up to date", (_file, target) => {
    // Prepare
    const text = readFileSync(target.file, "utf8");

    // Act
    const regenerated = replaceBlock(text, target.markers, target.render());

    // Assess (on failure: npm run permissions:table)
    expect(regenerated).toBe(text);
  });

  it("lists every role and marks the ones deployed only under a condition", () => {
    // Act
    const table = renderPermissionsTable();

    // Assess
    expect(table).toContain("| `okta-hook` | `secretsmanager:GetSecretValue`");
    expect(table).toContain("`estate-schedule` (when the estate-reconcile workflow is wired");
    expect(table).toContain("`read-user-truth` (when OAL_POLICY=s3://...) | `s3:GetObject`");
  });

  it("lists the grants only one topology adds, saying which (issue 15)", () => {
    // Act
    const table = renderPermissionsTable();
    const rows = table.split("\n");

    // Assess
    expect(rows).toContainEqual(
      expect.stringMatching(
        /^\| `estate-apply-estate-batch` \(when [^|]*; management topology only\) \| `iam:CreateRole`/,
      ),
    );
    expect(rows).toContainEqual(
      expect.stringMatching(
        /^\| `apply-denies` \(delegated-admin only, with the management component\) \| `sts:AssumeRole`/,
      ),
    );
    expect(
      rows
        // the member roles of issue 16 are assumed in either topology, only when tagged as the tool's
        .filter((r) => r.includes("`sts:AssumeRole`") && !r.includes("okta-aws-lifecycle:member-role"))
        .every((r) => r.includes("delegated-admin only")),
    ).toBe(true);
    expect(
      rows
        .filter((r) => r.includes("`iam:CreateSAMLProvider`"))
        .every((r) => r.includes("management topology only")),
    ).toBe(true);
  });

  it("refuses a file without the markers instead of appending blindly", () => {
    // Act
    const replace = () => replaceBlock("no markers here", MARKERS.actions, "table");

    // Assess
    expect(replace).toThrow(/markers/);
  });
});
