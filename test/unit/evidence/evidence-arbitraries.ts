import fc from "fast-check";
import type { EvidenceDraft } from "../../../core/evidence/record.ts";
import { T0 } from "./evidence-builders.ts";

/** Arbitrary evidence drafts of every kind, filling each free-form part with arbitrary JSON. */

const text = fc.string({ minLength: 1, maxLength: 12 });
const instant = fc.integer({ min: -(10 ** 10), max: 10 ** 10 }).map((ms) => new Date(T0 + ms).toISOString());
const accountId = fc.stringMatching(/^\d{12}$/);
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const jsonObject = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const withKind = fc.tuple(text, jsonObject).map(([kind, rest]) => ({ ...rest, kind }));

const triggerEvent = fc.record(
  {
    oktaEventId: text,
    eventType: text,
    published: instant,
    kind: fc.constantFrom("joiner" as const, "mover" as const, "leaver" as const),
    channel: fc.constantFrom(
      "hook" as const,
      "log-stream" as const,
      "poller" as const,
      "schedule" as const,
      "manual" as const,
    ),
    stale: fc.record({ ageSeconds: fc.nat(), maxAgeSeconds: fc.nat() }),
  },
  { requiredKeys: ["oktaEventId", "eventType", "published", "kind", "channel"] },
);

const trigger = fc.oneof(
  fc.record({
    type: fc.constant("events" as const),
    events: fc.array(triggerEvent, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ type: fc.constant("schedule" as const), schedule: text }, { requiredKeys: ["type"] }),
  fc.record(
    { type: fc.constant("manual" as const), requestedBy: text, reason: text },
    { requiredKeys: ["type", "requestedBy"] },
  ),
  fc.record({ type: fc.constant("policy-change" as const), revision: text }, { requiredKeys: ["type"] }),
  fc.record({ type: fc.constant("account-event" as const), accountId, eventName: text }),
);

const truth = fc.record(
  {
    okta: fc
      .tuple(jsonObject, fc.record({ userStatus: nullable(text), groups: fc.array(text, { maxLength: 3 }) }))
      .map(([rest, known]) => ({ ...rest, ...known })),
    identityCenter: jsonObject,
    organization: jsonObject,
  },
  { requiredKeys: ["okta", "identityCenter"] },
);

const actionOutcome = fc.record({
  kind: text,
  target: fc.dictionary(text, fc.string({ maxLength: 20 }), { maxKeys: 3 }),
  requestId: nullable(text),
  status: fc.constantFrom("SUCCEEDED" as const, "FAILED" as const, "SKIPPED" as const),
  error: nullable(text),
  startedAt: nullable(instant),
  finishedAt: nullable(instant),
  attempts: fc.nat(5),
});

const runBody = {
  trigger,
  truth,
  plan: fc.record({
    actions: fc.array(withKind, { maxLength: 3 }),
    findings: fc.array(withKind, { maxLength: 3 }),
    blockedReason: nullable(text),
  }),
  actions: fc.array(actionOutcome, { maxLength: 3 }),
  verification: nullable(
    fc.record({
      passed: fc.boolean(),
      details: fc.array(
        fc.tuple(text, fc.boolean(), jsonObject).map(([check, passed, rest]) => ({ ...rest, check, passed })),
        { maxLength: 2 },
      ),
    }),
  ),
  timings: fc.record(
    {
      oktaPublished: instant,
      runStarted: instant,
      denyInForce: instant,
      accessRemoved: instant,
      runFinished: instant,
    },
    { requiredKeys: [] },
  ),
};

const header = { schemaVersion: fc.constant(1 as const), recordId: text, runId: text, createdAt: instant };

const userRun = fc.record({
  ...header,
  kind: fc.constant("user-run" as const),
  body: fc.record({
    subject: fc.record({ oktaUserId: text, login: nullable(text), identityCenterUserId: nullable(text) }),
    ...runBody,
  }),
});

const estateRun = fc.record({
  ...header,
  kind: fc.constant("estate-run" as const),
  body: fc.record(runBody),
});

const snapshot = fc.record({
  ...header,
  kind: fc.constant("snapshot" as const),
  body: fc.record({
    rows: fc.array(
      fc.record(
        { userId: text, userName: text, groupName: text, permissionSetName: text, accountId, since: instant },
        { requiredKeys: ["userId", "userName", "groupName", "permissionSetName", "accountId"] },
      ),
      { maxLength: 3 },
    ),
  }),
});

/** Any draft: a user run, an estate run or a snapshot. */
export const draftArbitrary: fc.Arbitrary<EvidenceDraft> = fc.oneof(userRun, estateRun, snapshot);

/** Drafts for a chain, with createdAt one second apart in chain order (as a serialized writer stamps them). */
export const chainDraftsArbitrary = (minLength: number, maxLength = 7): fc.Arbitrary<EvidenceDraft[]> =>
  fc
    .array(draftArbitrary, { minLength, maxLength })
    .map((drafts) =>
      drafts.map((draft, i) => ({ ...draft, createdAt: new Date(T0 + i * 1_000).toISOString() })),
    );
