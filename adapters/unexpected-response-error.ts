import type { z } from "zod";
import { formatPath } from "../core/field-error.ts";

/**
 * An AWS service answered with something an adapter cannot rely on (a missing id, an unknown status...).
 * Names the operation and the field, e.g. `ListUsers: Users[3].UserName: required`. Each service's
 * adapters have their own subclass, so callers and logs tell which service answered.
 */
export class UnexpectedResponseError extends Error {
  override name = "UnexpectedResponseError";
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

type UnexpectedResponseErrorType = new (
  operation: string,
  field: string,
  problem: string,
  options?: { cause?: unknown },
) => UnexpectedResponseError;

/** A validator of SDK outputs against the shape the adapter relies on, throwing `ErrorType`. */
export function responseParser(ErrorType: UnexpectedResponseErrorType) {
  return <S extends z.ZodType>(operation: string, schema: S, output: unknown): z.output<S> => {
    const result = schema.safeParse(output);
    if (result.success) return result.data;
    const [issue] = result.error.issues;
    throw new ErrorType(operation, formatPath(issue?.path ?? []), issue?.message ?? "invalid", {
      cause: result.error,
    });
  };
}
