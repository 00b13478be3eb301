import type { z } from "zod";
import { formatPath } from "../../core/field-error.ts";

/**
 * IAM or STS answered with something the adapter cannot rely on (a missing user name, an unknown key
 * status...). Names the operation and the field, e.g. `ListAccessKeys: AccessKeyMetadata[0].Status: ...`.
 */
export class UnexpectedIamResponseError extends Error {
  override name = "UnexpectedIamResponseError";
  readonly operation: string;
  readonly field: string;

  constructor(operation: string, field: string, problem: string, options?: { cause?: unknown }) {
    super(`${operation} returned an unexpected response: ${field}: ${problem}`, options);
    this.operation = operation;
    this.field = field;
  }
}

/** Validates an SDK output against the shape the adapter relies on. */
export function parseIamResponse<S extends z.ZodType>(
  operation: string,
  schema: S,
  output: unknown,
): z.output<S> {
  const result = schema.safeParse(output);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  throw new UnexpectedIamResponseError(
    operation,
    formatPath(issue?.path ?? []),
    issue?.message ?? "invalid",
    {
      cause: result.error,
    },
  );
}
