import {
  DEFAULT_ANSWER_SWITCHES,
  LOG_EVENT_EXAMPLE_NULLS,
  type OktaAnswerSwitches,
} from "../../local/emulators/okta/answer-switches.ts";

/** What the probe saw of the Okta emulator's `logEventNulls` switch (docs/okta-behaviour.md). */
export interface LogEventNullsObservation {
  name: "logEventNulls";
  observed?: OktaAnswerSwitches["logEventNulls"];
  emulatorDefault: OktaAnswerSwitches["logEventNulls"];
  verdict: "matches" | "differs" | "unknown";
  evidence: string;
}

/** Paths (`[]` for every array element) where a value is `null`. */
function nullPaths(value: unknown, path: string, into: Set<string>): void {
  if (value === null) {
    into.add(path);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) nullPaths(item, `${path}[]`, into);
    return;
  }
  if (typeof value !== "object") return;
  for (const [key, child] of Object.entries(value))
    nullPaths(child, path === "" ? key : `${path}.${key}`, into);
}

/**
 * Whether the org's System Log writes `null` for empty LogEvent properties, as the spec's ListLogs
 * example does, or leaves them out, as its schemas read strictly. Raw bodies only: the adapter's
 * schemas accept both, which is why the pipeline does not depend on it.
 */
export function observeLogEventNulls(events: readonly unknown[]): LogEventNullsObservation {
  const emulatorDefault = DEFAULT_ANSWER_SWITCHES.logEventNulls;
  const base = { name: "logEventNulls" as const, emulatorDefault };
  if (events.length === 0)
    return { ...base, verdict: "unknown", evidence: "the System Log page was empty: nothing to read" };
  const nulls = new Set<string>();
  for (const event of events) nullPaths(event, "", nulls);
  const observed: OktaAnswerSwitches["logEventNulls"] = nulls.size > 0 ? "as-example" : "omitted";
  const outside = [...nulls].filter((path) => !LOG_EVENT_EXAMPLE_NULLS.has(path)).sort();
  const evidence =
    nulls.size === 0
      ? `${events.length} events, no null anywhere`
      : `${events.length} events, null at ${[...nulls].sort().join(", ")}` +
        (outside.length ? ` (outside the spec's example: ${outside.join(", ")}: tell us)` : "");
  return { ...base, observed, verdict: observed === emulatorDefault ? "matches" : "differs", evidence };
}
