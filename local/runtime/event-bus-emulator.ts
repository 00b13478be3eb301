import { randomUUID } from "node:crypto";
import type { EventBridgeEvent } from "aws-lambda";
import { type AwsJsonService, validationError } from "../emulators/aws-json-protocol.ts";
import { compileEventPattern, type EventPattern } from "./event-pattern.ts";
import { compileInputTransformer, type InputTransformer } from "./input-transformer.ts";

/**
 * An EventBridge rule with one target: the same pattern (local/runtime/event-pattern.ts) and input
 * transformer (local/runtime/input-transformer.ts) the infra deploys.
 */
export interface BusRule {
  name: string;
  pattern: EventPattern;
  /** What the target receives instead of the event, as the deployed target's InputTransformer says. */
  inputTransformer?: InputTransformer;
  /**
   * The target. `input` is the text EventBridge would send it: the transformer's output, or the event
   * as JSON when the rule has no transformer.
   */
  target: (event: EventBridgeEvent<string, unknown>, input: string) => Promise<unknown>;
}

/**
 * PutEvents refuses a request whose entries total 256 KB or more ("The total entry size must be less than
 * 256KB"), as a whole, with ValidationException "Total size of the entries in the request is over the
 * limit." (seen in awslabs/aws-service-catalog-puppet issue 563).
 */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;

/**
 * An entry's size as EventBridge counts it (user guide, "Calculating PutEvents event entry size"): Time
 * 14 bytes if set, the UTF-8 bytes of Source, DetailType, Detail and each of Resources.
 */
export function putEventsEntrySize(entry: {
  Time?: unknown;
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
}): number {
  const bytes = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, "utf8"));
  return (
    (entry.Time === undefined ? 0 : 14) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((total, resource) => total + bytes(resource), 0)
  );
}

/** One delivery of an event to a rule's target; `ok: false` when the target or the transformer failed. */
export interface BusDelivery {
  id: string;
  rule: string;
  ok: boolean;
  error?: string;
}

/**
 * The lifecycle bus on the laptop: `PutEvents` over AWS JSON 1.1 (so ingress uses the real
 * EventBridge client), routing each entry to the rules whose pattern matches, as EventBridge does.
 * Events from elsewhere (a forwarding rule of another bus) come in whole through `publish`. Patterns
 * and transformers are compiled when the bus is created: a bad or unsupported one throws then.
 * Target failures are recorded (EventBridge would retry, then send to the rule's DLQ).
 */
export function createEventBusEmulator(busName: string, rules: BusRule[]) {
  const delivered: BusDelivery[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const compiled = rules.map((rule) => {
    const transform = rule.inputTransformer ? compileInputTransformer(rule.inputTransformer) : undefined;
    return { rule, matches: compileEventPattern(rule.pattern), transform };
  });

  /** Hands an event to every matching rule's target; returns the names of the rules that matched. */
  const publish = (event: EventBridgeEvent<string, unknown>): string[] => {
    const matched = compiled.filter((c) => c.matches(event));
    for (const { rule, transform } of matched) {
      const delivery = (async () =>
        rule.target(event, transform ? transform(event) : JSON.stringify(event)))().then(
        () => delivered.push({ id: event.id, rule: rule.name, ok: true }),
        (error: Error) => delivered.push({ id: event.id, rule: rule.name, ok: false, error: error.message }),
      );
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
    }
    return matched.map((c) => c.rule.name);
  };

  const service: AwsJsonService = {
    targetPrefix: "AWSEvents",
    operations: {
      PutEvents: (input: {
        Entries?: {
          Source?: string;
          DetailType?: string;
          Detail?: string;
          EventBusName?: string;
          Time?: number;
        }[];
      }) => {
        const entries = input.Entries ?? [];
        if (entries.length === 0 || entries.length > 10)
          throw validationError("Entries must hold 1 to 10 entries");
        if (entries.reduce((total, entry) => total + putEventsEntrySize(entry), 0) >= MAX_PUT_EVENTS_BYTES)
          throw validationError("Total size of the entries in the request is over the limit.");
        const results = entries.map((entry) => {
          if (entry.EventBusName !== busName)
            return {
              ErrorCode: "ResourceNotFoundException",
              ErrorMessage: `Event bus ${entry.EventBusName} does not exist.`,
            };
          let detail: unknown;
          try {
            detail = JSON.parse(entry.Detail ?? "");
          } catch {
            return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
          }
          const id = randomUUID();
          publish({
            version: "0",
            id,
            "detail-type": entry.DetailType ?? "",
            source: entry.Source ?? "",
            account: "000000000000",
            time: new Date(entry.Time ? entry.Time * 1000 : Date.now()).toISOString(),
            region: "us-east-1",
            resources: [],
            detail,
          });
          return { EventId: id };
        });
        return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
      },
    },
  };
  return {
    service,
    publish,
    delivered: () => [...delivered],
    /** Resolves when every target invocation started so far has finished. */
    idle: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

export type EventBusEmulator = ReturnType<typeof createEventBusEmulator>;
