import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    // Hooks start a whole local stack (and often wait for its first estate run) on a loaded 2-core machine.
    hookTimeout: 60_000,
    coverage: {
      provider: "v8",
      include: ["core/**/*.ts"],
      reporter: ["text-summary", "text"],
      // design.md: core/ is 100% covered; the test command enforces it.
      thresholds: { lines: 100, branches: 100, functions: 100, statements: 100 },
    },
  },
});
