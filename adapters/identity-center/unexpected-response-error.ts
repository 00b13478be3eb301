import type { z } from "zod";
import { formatPath } from "../../core/field-error.ts";

/**
 * AWS answered with something the adapter cannot rely on (a missing id, an unknown status...).
 * Names the operation and the field, e.g. `ListUsers: Users[3].UserName: required`.
 */
export class UnexpectedIdentityCenterResponseError extends Error {
  override name = "UnexpectedIdentityCenterResponseError";
  /** The API operation, e.g. `ListAccountAssignments`. */
  readonly operation: string;
  /** Where in the response, e.g. `AccountAssignments[0].PrincipalType`. */
  readonly field: string;

  constructor(operation: string, field: string, problem: string, options?: { cause?: unknown }) {
    super(`${operation} returned an unexpected response: ${field}: ${problem}`, options);
    this.operation = operation;
    this.field = field;
  }
}

/** Validates an SDK output against the shape the adapter relies on. */
export function parseResponse<S extends z.ZodType>(
  operation: string,
  schema: S,
  output: unknown,
): z.output<S> {
  const result = schema.safeParse(output);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  throw new UnexpectedIdentityCenterResponseError(
    operation,
    formatPath(issue?.path ?? []),
    issue?.message ?? "invalid",
    { cause: result.error },
  );
}
