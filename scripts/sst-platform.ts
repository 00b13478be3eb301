// SST's platform types (.sst/platform), installed offline from the npm registry by `sst install`
// (design.md: no Bun, no AWS calls). Shared by `npm run typecheck:infra` and the infra type-check test,
// so `npm test` on a fresh clone installs them itself.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const SST_ENV = {
  ...process.env,
  SST_NO_BUN: "1",
  SST_SKIP_DEPENDENCY_CHECK: "1",
  SST_TELEMETRY_DISABLED: "1",
  SST_STAGE: process.env.SST_STAGE ?? "ci",
};

/** Runs `sst install` when the platform types are missing, or always when `refresh` is true. */
export function ensureSstPlatform(root: string, options: { refresh?: boolean } = {}): void {
  if (!options.refresh && existsSync(join(root, ".sst/platform/config.d.ts"))) return;
  execFileSync("npx", ["sst", "install"], { cwd: root, stdio: "inherit", env: SST_ENV });
}
