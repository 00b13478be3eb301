import { randomUUID } from "node:crypto";
import type { EventBridgeEvent } from "aws-lambda";
import { type AwsJsonService, validationError } from "../emulators/aws-json-protocol.ts";

/** An EventBridge rule: the same pattern shape the infra deploys (`source` / `detail-type` lists). */
export interface BusRule {
  name: string;
  pattern: { source?: string[]; "detail-type"?: string[] };
  target: (event: EventBridgeEvent<string, unknown>) => Promise<unknown>;
}

function matches(pattern: BusRule["pattern"], source: string, detailType: string): boolean {
  return (
    (!pattern.source || pattern.source.includes(source)) &&
    (!pattern["detail-type"] || pattern["detail-type"].includes(detailType))
  );
}

/**
 * The lifecycle bus on the laptop: `PutEvents` over AWS JSON 1.1 (so ingress uses the real
 * EventBridge client), routing each entry to the rules whose pattern matches, as EventBridge does.
 * Target failures are recorded (EventBridge would retry, then send to the rule's DLQ).
 */
export function createEventBusEmulator(busName: string, rules: BusRule[]) {
  const delivered: { id: string; rule: string; ok: boolean; error?: string }[] = [];
  const inFlight = new Set<Promise<unknown>>();

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
          const event: EventBridgeEvent<string, unknown> = {
            version: "0",
            id,
            "detail-type": entry.DetailType ?? "",
            source: entry.Source ?? "",
            account: "000000000000",
            time: new Date(entry.Time ? entry.Time * 1000 : Date.now()).toISOString(),
            region: "us-east-1",
            resources: [],
            detail,
          };
          for (const rule of rules.filter((r) => matches(r.pattern, event.source, event["detail-type"]))) {
            const delivery = rule.target(event).then(
              () => delivered.push({ id, rule: rule.name, ok: true }),
              (error: Error) => delivered.push({ id, rule: rule.name, ok: false, error: error.message }),
            );
            inFlight.add(delivery);
            void delivery.finally(() => inFlight.delete(delivery));
          }
          return { EventId: id };
        });
        return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
      },
    },
  };
  return {
    service,
    delivered: () => [...delivered],
    /** Resolves when every target invocation started so far has finished. */
    idle: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
