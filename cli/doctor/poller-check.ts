import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { type CheckResult, guarded, ok, problem } from "./check.ts";

export interface PollerTarget {
  doc: DynamoDBDocumentClient;
  stateTable: string;
  /** Minutes between polls (OAL_POLL_MINUTES). */
  pollMinutes: number;
  now: () => string;
}

const CHECK = "System Log poller cursor";
/** adapters/system-log-cursor.ts: where the poller keeps its `next` link. */
const CURSOR_KEY = { pk: "cursor", sk: "system-log" };

/** The cursor advanced within three poll intervals (every poll advances it, new events or not). */
export function checkPollerCursor(target: PollerTarget): Promise<CheckResult> {
  const maxAgeMinutes = Math.max(3 * target.pollMinutes, 15);
  const fix =
    "check the okta-log-poll function's logs and its EventBridge Scheduler schedule, and the OktaApiToken secret";
  return guarded(CHECK, fix, async () => {
    const { Item } = await target.doc.send(
      new GetCommand({ TableName: target.stateTable, Key: CURSOR_KEY, ConsistentRead: true }),
    );
    if (typeof Item?.updatedAt !== "string") {
      return problem(CHECK, "the poller has not stored a cursor yet", fix);
    }
    const ageMinutes = (Date.parse(target.now()) - Date.parse(Item.updatedAt)) / 60_000;
    if (ageMinutes > maxAgeMinutes) {
      return problem(
        CHECK,
        `the cursor last advanced ${Math.round(ageMinutes)} min ago (expected within ${maxAgeMinutes} min)`,
        fix,
      );
    }
    return ok(CHECK, `advanced ${Math.max(0, Math.round(ageMinutes * 60))} s ago (${Item.updatedAt})`);
  });
}
