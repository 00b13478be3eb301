import { z } from "zod";
import { type FieldError, type FieldErrors, joinPath, ROOT_PATH } from "../field-error.ts";
import { EVENT_HOOK_EVENT_TYPE, parseHookBody } from "./hook-envelope.ts";
import type { NormalizeResult } from "./lifecycle-event.ts";
import { type LogEvent, parseLogEvent, rawEventId } from "./log-event.ts";
import { type NormalizeOptions, normalize } from "./normalize.ts";

/** The three payload shapes Okta delivers LogEvents in. */
export type InputShape =
  /** An event hook POST body: `{"eventType": "com.okta.event_hook", "data": {"events": [...]}}`. */
  | "event-hook"
  /** One bare System Log LogEvent (as the System Log API lists them). */
  | "log-event"
  /** An Amazon EventBridge event from Okta Log Streaming: `detail-type: SystemLog`, `detail` = LogEvent. */
  | "eventbridge-system-log";

/** One explained LogEvent: its lifecycle meaning, or why it could not be read. */
export type ExplainEntry =
  | { index: number; oktaEventId: string; result: NormalizeResult }
  | {
      /** The event's position (`data.events[index]`; 0 for a single event); `null` for the input as a whole. */
      index: number | null;
      oktaEventId?: string;
      error: FieldError;
      /** Further problems with the same event, when there are several. */
      moreErrors?: FieldError[];
    };

/** What `analyzeInput` found: the shape, whether the input as a whole was readable, one entry per event. */
export interface InputAnalysis {
  /** `null` when the input matches none of the three shapes. */
  shape: InputShape | null;
  /**
   * `false` when nothing could be read: unrecognized shape, invalid hook envelope, or an invalid single
   * event. A hook body whose envelope is valid counts as parsed even if some of its events are invalid
   * (their entries carry the errors), because Okta delivers the valid ones regardless.
   */
  parsed: boolean;
  entries: ExplainEntry[];
}

/** The `source` prefix of Okta Log Streaming events on a partner event bus. */
export const OKTA_LOG_STREAMING_SOURCE_PREFIX = "aws.partner/okta.com";

const eventBridgeEnvelopeSchema = z.looseObject({
  "detail-type": z.literal("SystemLog"),
  source: z.string().startsWith(OKTA_LOG_STREAMING_SOURCE_PREFIX),
  detail: z.unknown().optional(),
});

const ACCEPTED_SHAPES =
  `expected one of: an Okta event hook POST body ({"eventType": "${EVENT_HOOK_EVENT_TYPE}", "data": {"events": [...]}}), ` +
  "a single System Log LogEvent (an object with uuid, eventType and published), " +
  `or an Amazon EventBridge event from Okta Log Streaming ({"detail-type": "SystemLog", "source": "${OKTA_LOG_STREAMING_SOURCE_PREFIX}/...", "detail": <LogEvent>})`;

/** Recognizes which of the three shapes `json` is, by its top-level markers only. */
export function detectInputShape(json: unknown): InputShape | null {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return null;
  if ("eventType" in json && json.eventType === EVENT_HOOK_EVENT_TYPE) return "event-hook";
  if (eventBridgeEnvelopeSchema.safeParse(json).success) return "eventbridge-system-log";
  if ("uuid" in json || "eventType" in json || "published" in json) return "log-event";
  return null;
}

/**
 * Reads any JSON value as one of the three shapes and explains each LogEvent in it. Never throws:
 * every problem becomes an entry with a field path.
 */
export function analyzeInput(json: unknown, options: NormalizeOptions): InputAnalysis {
  const shape = detectInputShape(json);
  switch (shape) {
    case null:
      return {
        shape,
        parsed: false,
        entries: [
          { index: null, error: { path: ROOT_PATH, message: `${describe(json)}: ${ACCEPTED_SHAPES}` } },
        ],
      };
    case "event-hook": {
      const body = parseHookBody(json);
      if (!body.success) return { shape, parsed: false, entries: [errorEntry(null, undefined, body.errors)] };
      const entries = body.data.events.map((event) =>
        event.success
          ? explainEvent(event.index, event.event, options, `data.events[${event.index}]`)
          : errorEntry(event.index, event.oktaEventId, event.errors),
      );
      return { shape, parsed: true, entries };
    }
    case "log-event":
      return single(shape, json, "", options);
    case "eventbridge-system-log":
      // detectInputShape matched the EventBridge envelope, so `json` is an object (`detail` may be absent).
      return single(shape, (json as { detail?: unknown }).detail, "detail", options);
  }
}

/** Explains each LogEvent in `json`; see `analyzeInput` for whether the input as a whole parsed. */
export function explainInput(json: unknown, options: NormalizeOptions): ExplainEntry[] {
  return analyzeInput(json, options).entries;
}

function single(
  shape: InputShape,
  value: unknown,
  basePath: string,
  options: NormalizeOptions,
): InputAnalysis {
  const parsed = parseLogEvent(value, basePath);
  if (!parsed.success)
    return { shape, parsed: false, entries: [errorEntry(0, rawEventId(value), parsed.errors)] };
  const entry = explainEvent(0, parsed.data, options, basePath);
  return { shape, parsed: !("error" in entry), entries: [entry] };
}

function explainEvent(
  index: number,
  event: LogEvent,
  options: NormalizeOptions,
  basePath: string,
): ExplainEntry {
  const result = normalize(event, options);
  if (result.kind !== "invalid") return { index, oktaEventId: event.uuid, result };
  const path = joinPath(basePath, result.error.path);
  return { index, oktaEventId: event.uuid, error: { path, message: result.error.message } };
}

function errorEntry(
  index: number | null,
  oktaEventId: string | undefined,
  errors: FieldErrors,
): ExplainEntry {
  const [error, ...more] = errors;
  return {
    index,
    ...(oktaEventId === undefined ? {} : { oktaEventId }),
    error,
    ...(more.length > 0 ? { moreErrors: more } : {}),
  };
}

function describe(json: unknown): string {
  if (Array.isArray(json)) return "the input is an array";
  if (json === null) return "the input is null";
  if (typeof json !== "object") return `the input is a ${typeof json}`;
  return "the input is an object of no recognized shape";
}
