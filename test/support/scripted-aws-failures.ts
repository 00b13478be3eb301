import type { AwsJsonService } from "../../local/emulators/aws-json-protocol.ts";
import { AwsServiceError } from "../../local/emulators/aws-json-protocol.ts";

/** What a scripted failure answers: the AWS error type, and optionally its message and members. */
export interface ScriptedAnswer {
  type: string;
  message?: string;
  fields?: Record<string, unknown>;
}

/**
 * Makes the next calls of `operation` on an emulated AWS JSON service answer `answers`, one each, in
 * order, after the service's own gate (so they are counted like any call), then lets calls through.
 * The error goes over the wire as the emulator sends any error (its model status wins). Returns how
 * many are still pending.
 */
export function failNextCalls(
  service: AwsJsonService,
  operation: string,
  answers: readonly ScriptedAnswer[],
): { pending(): number } {
  const queue = [...answers];
  const gate = service.beforeOperation;
  service.beforeOperation = (called) => {
    gate?.(called);
    const next = called === operation ? queue.shift() : undefined;
    if (next) {
      throw new AwsServiceError(next.type, next.message ?? `Injected ${next.type}`, 400, next.fields ?? {});
    }
  };
  return { pending: () => queue.length };
}
