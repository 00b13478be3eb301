import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * Issue 12, point 10: the CLI as it ships. The package is packed (`npm pack`: exactly the files a
 * release carries), unpacked into a temporary directory, and given the production dependencies only
 * (`npm ci --omit=dev` from the lockfile, from the npm cache when it has them). The directory is the
 * project root, not `node_modules/okta-aws-lifecycle`, because Node refuses to strip types from files
 * under node_modules: that is how the TypeScript CLI runs (cli/bin.js).
 */
describe("the CLI installed without dev dependencies (npm pack, npm ci --omit=dev)", () => {
  let dir = "";
  let project = "";
  const cli = (...args: string[]) =>
    run(process.execPath, [path.join(project, "cli/bin.js"), ...args], { cwd: project, encoding: "utf8" });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "oal-production-"));
    await run(npm, ["pack", "--pack-destination", dir, "--silent"], { cwd: ROOT });
    const tarball = (await readdir(dir)).find((f) => f.endsWith(".tgz"));
    if (!tarball) throw new Error(`npm pack wrote no tarball in ${dir}`);
    await run("tar", ["-xzf", tarball], { cwd: dir });
    project = path.join(dir, "package");
    // The lockfile is never packed; `npm ci` needs it to install exactly what the repository pins.
    await copyFile(path.join(ROOT, "package-lock.json"), path.join(project, "package-lock.json"));
    await run(npm, ["ci", "--omit=dev", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund"], {
      cwd: project,
    });
  }, 180_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("installs none of the dev dependencies the local stack and the IAM simulator need", async () => {
    // Act
    const modules = await readdir(path.join(project, "node_modules"));

    // Assess
    expect(modules).toContain("commander");
    expect(modules).not.toContain("@cloud-copilot");
    expect(modules).not.toContain("dynalite");
    expect(modules).not.toContain("vitest");
  });

  it.each([
    [["evidence", "verify", "--help"], /Usage: okta-aws-lifecycle evidence verify/],
    [["plan", "--help"], /Usage: okta-aws-lifecycle plan/],
    [["--help"], /replay-scenario/],
  ])("runs %j", async (args, usage) => {
    // Act
    const { stdout } = await cli(...args);

    // Assess
    expect(stdout).toMatch(usage);
  });

  it("runs evidence verify: it reports what is missing (no bucket, no local stack), not a missing module", async () => {
    // Act
    const failed = await cli("evidence", "verify", "--endpoints", path.join(dir, "none.json")).catch(
      (error: { code: number; stderr: string }) => error,
    );

    // Assess
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain("name the evidence bucket with --bucket");
  });

  it("says the local-stack commands need the dev dependencies, instead of crashing", async () => {
    // Act
    const failed = await cli("replay-scenario", "--help").catch(
      (error: { code: number; stderr: string }) => error,
    );

    // Assess
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(
      /replay-scenario needs the development dependencies/,
    );
  });
});
