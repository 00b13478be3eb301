// Type-checks sst.config.ts and infra/ against SST's real platform types, offline (design.md):
// `sst install` extracts .sst/platform and installs its npm dependencies without Bun or AWS calls,
// then `tsc` checks tsconfig.infra.json, which extends the platform's tsconfig.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = {
  ...process.env,
  SST_NO_BUN: "1",
  SST_SKIP_DEPENDENCY_CHECK: "1",
  SST_TELEMETRY_DISABLED: "1",
  SST_STAGE: process.env.SST_STAGE ?? "ci",
};
const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: "inherit", env });

if (!existsSync(".sst/platform/config.d.ts") || process.env.CI === "true") run("npx", ["sst", "install"]);
run("npx", ["tsc", "--noEmit", "-p", "tsconfig.infra.json"]);
