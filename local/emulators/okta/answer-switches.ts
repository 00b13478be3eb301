/**
 * What Okta's management spec and docs leave open in the emulator's answers, one switch per plausible
 * answer (docs/okta-behaviour.md lists every Okta switch with its source). The adapters and the pipeline
 * must be right under every setting; the conformance suite checks each against the spec.
 */
export interface OktaAnswerSwitches {
  /**
   * LogEvent properties that have no value, in System Log answers. The spec's `LogEvent` schemas make
   * none of them nullable, yet the spec's own `listLogEvents` example (`ListLogs`) writes `null` for
   * `actor.detailEntry`, `outcome.reason`, `client.id`... (and so do the payloads of Okta's event hook
   * docs):
   * - `"as-example"`: null exactly where the `ListLogs` example has it, every other empty value left out;
   * - `"omitted"`: no nulls at all, as the schemas read strictly.
   * @default "as-example"
   */
  logEventNulls: "as-example" | "omitted";
  /**
   * The body of a 200 from deactivate, suspend and unsuspend, which the spec declares with no content
   * (`responses.200.content: {}`, operations deactivateUser, suspendUser, unsuspendUser):
   * - `"empty-object"`: `{}` as JSON;
   * - `"none"`: no body at all.
   * @default "empty-object"
   */
  lifecycleBody: "empty-object" | "none";
}

export const DEFAULT_ANSWER_SWITCHES: Readonly<OktaAnswerSwitches> = {
  logEventNulls: "as-example",
  lifecycleBody: "empty-object",
};

/**
 * Where the spec's `ListLogs` example (operation listLogEvents, 200) writes null: `[]` stands for every
 * element of an array.
 */
export const LOG_EVENT_EXAMPLE_NULLS: ReadonlySet<string> = new Set([
  "actor.detailEntry",
  "authenticationContext.authenticationProvider",
  "authenticationContext.credentialProvider",
  "authenticationContext.credentialType",
  "authenticationContext.interface",
  "authenticationContext.issuer",
  "client.id",
  "client.zone",
  "outcome.reason",
  "request.ipChain[].source",
  "securityContext.domain",
  "target[].detailEntry",
  "transaction.detail",
]);

/** A stored LogEvent as the System Log API serves it under `logEventNulls` (a copy; the store is untouched). */
export function servedLogEvent(
  event: Record<string, unknown>,
  nulls: OktaAnswerSwitches["logEventNulls"],
): Record<string, unknown> {
  const keep = (path: string) => nulls === "as-example" && LOG_EVENT_EXAMPLE_NULLS.has(path);
  const strip = (value: unknown, path: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => strip(item, `${path}[]`));
    if (value === null || typeof value !== "object") return value;
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const childPath = path === "" ? key : `${path}.${key}`;
      if (child === null && !keep(childPath)) continue;
      copy[key] = strip(child, childPath);
    }
    return copy;
  };
  return strip(event, "") as Record<string, unknown>;
}
