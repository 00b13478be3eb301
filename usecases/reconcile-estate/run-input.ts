import { z } from "zod";
import { triggerSchema } from "../../core/evidence/record.ts";
import { formatPath } from "../../core/field-error.ts";

/**
 * What starts an estate run, whoever starts it: the schedule, an EventBridge rule's input transformer
 * (workflows/estate-triggers.ts), the CLI or the local stack. Checked before anything is read, so a
 * malformed rule input fails the execution at once with the field that is wrong.
 */
export const estateRunInputSchema = z.looseObject({
  runId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, "letters, digits, '.', '_' and '-', at most 80 characters"),
  trigger: triggerSchema,
});

export type EstateRunInput = z.infer<typeof estateRunInputSchema>;

/** Thrown when an execution's input is not an estate run input; never retried. */
export class EstateRunInputError extends Error {
  override name = "EstateRunInputError";
}

export function parseEstateRunInput(raw: unknown): EstateRunInput {
  const parsed = estateRunInputSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = formatPath(issue?.path ?? []);
  throw new EstateRunInputError(
    `the estate run input is invalid at ${path}: ${issue?.message}; expected {"runId": "...", "trigger": {"type": "schedule" | "manual" | "policy-change" | "account-event", ...}}`,
  );
}
