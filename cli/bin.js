#!/usr/bin/env node
// Entry for `npx okta-aws-lifecycle`. The CLI is TypeScript run by Node's built-in type stripping
// (Node >= 22.18). When npx resolves an older system Node, re-run under the Node 24 that the `node`
// devDependency installs, so a fresh `npm install` is all a user needs. The commands that drive the local
// stack load only when invoked (main.ts), so an install with --omit=dev runs everything else.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const [major, minor] = process.versions.node.split(".").map(Number);
const supported = major > 22 || (major === 22 && minor >= 18);

if (supported) {
  const { main } = await import("./main.ts");
  process.exitCode = await main(process.argv.slice(2));
} else {
  const localNode = fileURLToPath(new URL("../node_modules/node/bin/node", import.meta.url));
  if (!existsSync(localNode)) {
    process.stderr.write(
      `okta-aws-lifecycle needs Node >= 22.18 (found ${process.versions.node}). Run \`npm install\` in the project directory first (its \`node\` dev dependency provides one), or, for an install without dev dependencies, use Node >= 22.18.\n`,
    );
    process.exit(1);
  }
  const result = spawnSync(localNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  process.exit(result.status ?? 1);
}
