import { z } from "zod";
import { expecting, type Parsed, toFieldErrors } from "../field-error.ts";
import { isWellFormedText, wellFormedString } from "./well-formed-text.ts";

/*
 * The Okta System Log LogEvent, as event hooks, Log Streaming and the System Log API deliver it.
 *
 * Strict where a decision depends on it: `uuid` (the dedupe key), `eventType` (the mapping),
 * `published` (ordering), `outcome` and `target` (their shape; the user target itself is checked by
 * `normalize` for the types that need one). Everything else is tolerant: real payloads carry nulls
 * almost anywhere (Admin Console "Preview" sends `actor: null`, `target: null`, `"result": "Success"`)
 * and unknown fields are kept. Context fields that never drive a decision (`actor`, `client`,
 * `request`, `debugContext`, a target's `changeDetails`) fall back to `null` when malformed, so a
 * surprise there never hides a leaver.
 *
 * Every string the schema reads must be well-formed Unicode: a lone surrogate in a strict field makes
 * the event invalid (with the field's path), and in a tolerant one it becomes `null` like any other
 * malformed context.
 */

const text = wellFormedString().nullish();
/** A string that becomes `null` instead of failing when the payload has something else there. */
const lenientText = text.catch(null);

/** One hop of the request's IP chain (`client.ipChain` or `request.ipChain`, depending on the producer). */
export const ipChainEntrySchema = z.looseObject({
  ip: lenientText,
  version: lenientText,
  source: lenientText,
});

const ipChainSchema = z.array(ipChainEntrySchema);

/** Who performed the action; `null` in Admin Console previews. */
export const logActorSchema = z.looseObject({
  id: lenientText,
  type: lenientText,
  alternateId: lenientText,
  displayName: lenientText,
});

/** Okta's before/after view of a modified target (only some event types fill it). */
export const changeDetailsSchema = z.looseObject({
  from: z.record(wellFormedString(), z.unknown()).nullish().catch(null),
  to: z.record(wellFormedString(), z.unknown()).nullish().catch(null),
});

/** An entity the action was performed on: `User`, `UserGroup`, `AppInstance`, `AppUser`... */
export const logTargetSchema = z.looseObject({
  id: text,
  type: text,
  alternateId: text,
  displayName: text,
  changeDetails: changeDetailsSchema.nullish().catch(null),
});

/** The result of the action; `result` is upper-cased (previews send `"Success"`). */
export const logOutcomeSchema = z.looseObject({
  result: text.transform((result) => result?.toUpperCase() ?? null),
  reason: text,
});

/** The client that made the request; `ipChain` may sit here or under `request`. */
export const logClientSchema = z.looseObject({
  ipAddress: lenientText,
  ipChain: ipChainSchema.nullish().catch(null),
});

/** The request; `ipChain` may sit here or under `client`. */
export const logRequestSchema = z.looseObject({
  ipChain: ipChainSchema.nullish().catch(null),
});

/** Debug data; `changedAttributes` names what `user.account.update_profile` changed, when Okta says. */
export const logDebugContextSchema = z.looseObject({
  debugData: z
    .looseObject({
      changedAttributes: z
        .union([wellFormedString(), z.array(wellFormedString())])
        .nullish()
        .catch(null),
    })
    .nullish()
    .catch(null),
});

/** The Okta System Log LogEvent schema (see the file comment for what is strict and what is tolerant). */
export const logEventSchema = z.looseObject(
  {
    uuid: wellFormedString({ error: expecting("a string") }).min(1, { error: "expected a non-empty string" }),
    eventType: wellFormedString({ error: expecting("a string") }).min(1, {
      error: "expected a non-empty string",
    }),
    published: z.iso.datetime({
      offset: true,
      error: expecting("an ISO-8601 date-time such as 2024-05-01T12:00:00.000Z"),
    }),
    actor: logActorSchema.nullish().catch(null),
    outcome: logOutcomeSchema.nullish(),
    target: z.array(logTargetSchema.nullable()).nullish(),
    client: logClientSchema.nullish().catch(null),
    request: logRequestSchema.nullish().catch(null),
    debugContext: logDebugContextSchema.nullish().catch(null),
  },
  { error: expecting("a LogEvent object") },
);

/** A validated LogEvent. */
export type LogEvent = z.output<typeof logEventSchema>;
/** One entry of a LogEvent's `target` array. */
export type LogTarget = z.output<typeof logTargetSchema>;
/** One hop of a LogEvent's IP chain. */
export type IpChainEntry = z.output<typeof ipChainEntrySchema>;

/**
 * Validates one LogEvent. Never throws: problems come back as field errors whose paths start at
 * `basePath` (for example `data.events[2]`, so an error reads `data.events[2].published`).
 */
export function parseLogEvent(value: unknown, basePath = ""): Parsed<LogEvent> {
  const result = logEventSchema.safeParse(value);
  return result.success
    ? { success: true, data: result.data }
    : { success: false, errors: toFieldErrors(result.error, basePath) };
}

/** The request's IP chain, wherever the producer put it (`client.ipChain` first, then `request.ipChain`). */
export function ipChainOf(event: LogEvent): IpChainEntry[] {
  return event.client?.ipChain ?? event.request?.ipChain ?? [];
}

/**
 * The `uuid` of a value that may not be a valid LogEvent, when it has a usable one (for logs and
 * dedupe): a non-empty, well-formed string.
 */
export function rawEventId(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || !("uuid" in value)) return undefined;
  return isWellFormedText(value.uuid) && value.uuid !== "" ? value.uuid : undefined;
}
