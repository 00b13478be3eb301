import { z } from "zod";
import { expecting, type FieldErrors, joinPath, type Parsed, toFieldErrors } from "../field-error.ts";
import { type LogEvent, parseLogEvent, rawEventId } from "./log-event.ts";
import { wellFormedString } from "./well-formed-text.ts";

/** The `eventType` of every Okta event hook delivery (the envelope's, not the LogEvents'). */
export const EVENT_HOOK_EVENT_TYPE = "com.okta.event_hook";

/**
 * Most events one delivery may carry. Okta's Event Hooks concept page ("Ongoing event delivery",
 * https://developer.okta.com/docs/concepts/event-hooks/) says only that "events that occur within a
 * short time of each other are amalgamated" into `data.events`, and documents no maximum; the local
 * Okta emulator batches at most 50 (local/emulators/okta/hook-delivery.ts). 100 leaves that margin
 * while a forged body can no longer carry a thousand leavers. A bigger delivery is refused whole
 * (400, which Okta does not retry): its events still arrive by Log Streaming and the System Log poller.
 */
export const MAX_EVENTS_PER_DELIVERY = 100;

const lenientText = wellFormedString().nullish().catch(null);

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

/** Limits on one delivery. */
export interface HookBodyOptions {
  /** Most events in `data.events`. @default MAX_EVENTS_PER_DELIVERY (100) */
  maxEvents?: number;
}

/**
 * Validates an event hook POST body: the envelope first (its errors, and more events than
 * `maxEvents`, fail the whole body), then each event on its own. Never throws.
 */
export function parseHookBody(body: unknown, options: HookBodyOptions = {}): Parsed<ParsedHookBody> {
  const envelope = hookEnvelopeSchema.safeParse(body);
  if (!envelope.success) return { success: false, errors: toFieldErrors(envelope.error) };
  const maxEvents = options.maxEvents ?? MAX_EVENTS_PER_DELIVERY;
  const count = envelope.data.data.events.length;
  if (count > maxEvents) {
    const message = `expected at most ${maxEvents} events in one delivery, found ${count}`;
    return { success: false, errors: [{ path: "data.events", message }] };
  }
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
