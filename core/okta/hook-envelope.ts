import { z } from "zod";
import { expecting, type FieldErrors, joinPath, type Parsed, toFieldErrors } from "../field-error.ts";
import { type LogEvent, parseLogEvent, rawEventId } from "./log-event.ts";

/** The `eventType` of every Okta event hook delivery (the envelope's, not the LogEvents'). */
export const EVENT_HOOK_EVENT_TYPE = "com.okta.event_hook";

const lenientText = z.string().nullish().catch(null);

/**
 * The event hook POST body. Only `eventType` and `data.events` (an array) are required; the events
 * are left unvalidated here so that `parseHookBody` can validate each one on its own and one malformed
 * event never hides the valid ones. CloudEvents metadata (`eventId`, `source`, `eventTime`...) is
 * tolerated in any form and kept.
 */
export const hookEnvelopeSchema = z.looseObject(
  {
    eventType: z.literal(EVENT_HOOK_EVENT_TYPE, { error: expecting(`"${EVENT_HOOK_EVENT_TYPE}"`) }),
    eventTypeVersion: lenientText,
    cloudEventsVersion: lenientText,
    contentType: lenientText,
    source: lenientText,
    eventId: lenientText,
    eventTime: lenientText,
    data: z.looseObject(
      { events: z.array(z.unknown(), { error: expecting("an array of LogEvents") }) },
      { error: expecting("an object with an events array") },
    ),
  },
  { error: expecting("an event hook body object") },
);

/** A validated envelope; its events are still unvalidated. */
export type HookEnvelope = z.output<typeof hookEnvelopeSchema>;

/** The validation result of one `data.events[]` entry; error paths read `data.events[2].published`. */
export type HookEventParse =
  | { index: number; success: true; event: LogEvent }
  | { index: number; success: false; oktaEventId?: string; errors: FieldErrors };

/** An event hook body whose envelope is valid, with every event validated separately. */
export interface ParsedHookBody {
  envelope: HookEnvelope;
  events: HookEventParse[];
}

/**
 * Validates an event hook POST body: the envelope first (its errors fail the whole body), then each
 * event on its own. Never throws.
 */
export function parseHookBody(body: unknown): Parsed<ParsedHookBody> {
  const envelope = hookEnvelopeSchema.safeParse(body);
  if (!envelope.success) return { success: false, errors: toFieldErrors(envelope.error) };
  const events = envelope.data.data.events.map((value, index): HookEventParse => {
    const parsed = parseLogEvent(value, joinPath("data.events", `[${index}]`));
    if (parsed.success) return { index, success: true, event: parsed.data };
    const oktaEventId = rawEventId(value);
    return {
      index,
      success: false,
      ...(oktaEventId === undefined ? {} : { oktaEventId }),
      errors: parsed.errors,
    };
  });
  return { success: true, data: { envelope: envelope.data, events } };
}
