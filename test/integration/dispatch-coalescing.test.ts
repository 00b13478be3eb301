import { Logger } from "@aws-lambda-powertools/logger";
import { SFNClient } from "@aws-sdk/client-sfn";
import type { EventBridgeEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoalescedEvents } from "../../adapters/coalesced-events.ts";
import type { LifecycleBusDetail } from "../../adapters/lifecycle-bus.ts";
import type { LifecycleEvent } from "../../core/okta/lifecycle-event.ts";
import {
  createDispatchHandler,
  type DispatchResult,
  type UserReconcileInput,
} from "../../functions/dispatch/create-handler.ts";
import {
  localClientConfig,
  type RunningServer,
  startAwsJsonServer,
} from "../../local/emulators/aws-json-server.ts";
import { lambdaContext } from "../../local/runtime/lambda-context.ts";
import { createSdkTaskInvoker } from "../../local/runtime/sdk-task-invoker.ts";
import { createStepFunctionsEmulator } from "../../local/runtime/step-functions-emulator.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";
import type { StateMachineDefinition } from "../../workflows/asl.ts";
import { USER_RECONCILE_TASKS, userReconcileDefinition } from "../../workflows/user-reconcile.ts";

const ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:coalescing-test";
const READ_TRUTH = "arn:aws:lambda:us-east-1:000000000000:function:readUserTruth";

/**
 * The head of the deployed user-reconcile definition (its coalescing states, unchanged) ending in a
 * ReadTruth task that records when each run read the truth.
 */
function headOfUserReconcile(): StateMachineDefinition {
  const resources = Object.fromEntries(USER_RECONCILE_TASKS.map((t) => [t, `${READ_TRUTH}-${t}`])) as never;
  const deployed = userReconcileDefinition(resources);
  const { CoalescingWindow, AwaitWindowEnd } = deployed.States;
  if (!CoalescingWindow || !AwaitWindowEnd) throw new Error("user-reconcile lost its coalescing states");
  return {
    StartAt: deployed.StartAt,
    States: {
      CoalescingWindow,
      AwaitWindowEnd,
      ReadTruth: { Type: "Task", Resource: READ_TRUTH, End: true },
    },
  };
}

let sequence = 0;
function busEvent(
  kind: LifecycleEvent["kind"],
  userId: string,
): EventBridgeEvent<string, LifecycleBusDetail> {
  sequence++;
  const event = {
    kind,
    subject: "user",
    eventType: kind === "leaver" ? "user.lifecycle.deactivate" : "group.user_membership.add",
    oktaEventId: `evt-${sequence}`,
    published: new Date().toISOString(),
    user: { id: userId, login: `${userId}@example.com` },
    actor: null,
    outcome: "SUCCESS",
  } as LifecycleEvent;
  return {
    version: "0",
    id: `bus-${sequence}`,
    "detail-type": "LifecycleEvent",
    source: "okta-aws-lifecycle.ingress",
    account: "000000000000",
    time: new Date().toISOString(),
    region: "us-east-1",
    resources: [],
    detail: { event, channel: "hook", receivedAt: new Date().toISOString() },
  };
}

describe("dispatch coalesces per-user runs without losing an event (Step Functions emulator)", () => {
  let server: RunningServer;
  let storage: StorageServers;
  let coalesced: CoalescedEvents;
  let sfn: ReturnType<typeof createStepFunctionsEmulator>;
  const truthReadAt = new Map<string, number>();
  let dispatch: (event: EventBridgeEvent<string, LifecycleBusDetail>) => Promise<DispatchResult>;

  beforeAll(async () => {
    sfn = createStepFunctionsEmulator(
      [
        {
          arn: ARN,
          definition: headOfUserReconcile(),
          lambdas: {
            [READ_TRUTH]: async (input) => {
              truthReadAt.set((input as UserReconcileInput).runId, Date.now());
              return {};
            },
          },
        },
      ],
      createSdkTaskInvoker({}),
    );
    server = await startAwsJsonServer([sfn.service]);
    storage = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "coalescing-evidence",
      tables: { idempotency: "idem-c", state: "state-c" },
    });
    coalesced = new CoalescedEvents({ doc: storage.doc, tableName: "state-c" });
    const handler = createDispatchHandler({
      coalesced,
      logger: new Logger({ serviceName: "dispatch-test", logLevel: "SILENT" }),
      sfn: new SFNClient(localClientConfig(server.endpoint)),
      userReconcileArn: ARN,
      coalescing: { windowMs: 1000, settleMs: 50, spreadMs: 100 },
    });
    dispatch = (event) => handler(event, lambdaContext("dispatch")) as Promise<DispatchResult>;
  });
  afterAll(async () => {
    sfn.abortAll();
    await server.close();
    await storage.close();
  });

  it("starts a leaver at once under its event's name; the same event again is a duplicate", async () => {
    // Prepare
    const leaver = busEvent("leaver", "00uLeaver");

    // Act
    const first = await dispatch(leaver);
    const again = await dispatch(leaver);

    // Assess
    expect(first).toEqual({ started: `user-00uLeaver-${leaver.detail.event.oktaEventId}` });
    expect(again).toEqual({ duplicate: `user-00uLeaver-${leaver.detail.event.oktaEventId}` });
  });

  it("starts a compromise signal at once under its event's name, even inside a user's window", async () => {
    // Prepare: a mover opens the user's window; a compromise signal must not fold into its trailing
    // run, whose trigger (the plan's input) would not be the signal
    await dispatch(busEvent("mover", "00uSignal"));
    const clear = busEvent("mover", "00uSignal");
    Object.assign(clear.detail.event, { eventType: "user.session.clear", signal: "adminSessionClear" });

    // Act
    const first = await dispatch(clear);
    const again = await dispatch(clear);

    // Assess
    expect(first).toEqual({ started: `user-00uSignal-${clear.detail.event.oktaEventId}` });
    expect(again).toEqual({ duplicate: `user-00uSignal-${clear.detail.event.oktaEventId}` });
  });

  it("a burst of one user's events costs a leading and a trailing run; every event is read after it happened", async () => {
    // Prepare: wait for the start of a fresh window, so the burst falls in one window
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const dispatchedAt: { runId: string; at: number; eventId: string }[] = [];

    // Act: 8 events for one user, 5 ms apart, and one for another user
    const results: DispatchResult[] = [];
    for (let i = 0; i < 8; i++) {
      const at = Date.now();
      const event = busEvent("mover", "00uBurst");
      const result = await dispatch(event);
      results.push(result);
      dispatchedAt.push({
        runId: "started" in result ? result.started : (result as { coalesced: string }).coalesced,
        at,
        eventId: event.detail.event.oktaEventId,
      });
      await new Promise((r) => setTimeout(r, 5));
    }
    const other = await dispatch(busEvent("joiner", "00uOther"));
    await sfn.idle();

    // Assess: coalesced, not one run per event
    const started = results.flatMap((r) => ("started" in r ? [r.started] : []));
    // Two runs per window touched (a slow machine may carry the burst into a second window).
    const windows = new Set(started.map((name) => name.replace(/-(lead|trail)$/, "")));
    expect(started.length).toBeLessThanOrEqual(2 * windows.size);
    expect(windows.size).toBeLessThanOrEqual(2);
    expect(started[0]).toMatch(/-lead$/);
    expect(started[1]).toMatch(/-trail$/);
    expect(results.filter((r) => "coalesced" in r)).toHaveLength(8 - started.length);
    expect(other).toEqual({ started: expect.stringMatching(/^user-00uOther-.*-lead$/) });
    // Nothing lost: each event maps to a run that read the truth after the event was dispatched
    for (const { runId, at } of dispatchedAt) expect(truthReadAt.get(runId)).toBeGreaterThanOrEqual(at);
    // ...and each folded event is recorded under the run that stands for it, for that run's evidence
    for (const [i, result] of results.entries()) {
      if (!("coalesced" in result)) continue;
      const folded = (await coalesced.list(result.coalesced)).map((e) => e.oktaEventId);
      expect(folded).toContain(dispatchedAt[i]?.eventId);
    }
    // ...which is why the leading run could not stand for the later events
    expect(truthReadAt.get(String(started[0]))).toBeLessThan(dispatchedAt[1]?.at ?? 0);
  });
});
