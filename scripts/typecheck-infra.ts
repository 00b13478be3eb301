// Type-checks sst.config.ts and infra/ against SST's real platform types, offline (design.md):
// `sst install` extracts .sst/platform and installs its npm dependencies without Bun or AWS calls,
// then `tsc` checks tsconfig.infra.json, which extends the platform's tsconfig.
import { execFileSync } from "node:child_process";
import { ensureSstPlatform, SST_ENV } from "./sst-platform.ts";

ensureSstPlatform(process.cwd(), { refresh: process.env.CI === "true" });
execFileSync("npx", ["tsc", "--noEmit", "-p", "tsconfig.infra.json"], { stdio: "inherit", env: SST_ENV });
