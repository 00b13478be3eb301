import type { z } from "zod";

/** Thrown at cold start when the function's environment is incomplete or malformed. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Reads and validates a function's environment once, at the edge (design.md: no unvalidated
 * `process.env`, no placeholder defaults). The error names every bad variable and what it needs.
 */
export function readConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  ${i.path.join(".") || "(environment)"}: ${i.message}`);
  throw new ConfigError(
    `invalid function configuration; set these environment variables:\n${problems.join("\n")}`,
  );
}
