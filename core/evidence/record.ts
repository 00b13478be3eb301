import { z } from "zod";
import { type FieldErrors, type Parsed, toFieldErrors } from "../field-error.ts";

/*
 * The evidence record: one per workflow run (`user-run`, `estate-run`) plus an access `snapshot` per
 * estate run. Records are written once and chained: each carries the SHA-256 of the previous record's
 * canonical JSON (hash-chain.ts), so none can be altered, removed or reordered unnoticed (verify-chain.ts).
 *
 * Objects are strict: a record holds exactly what this schema says, and anything else is reported as
 * invalid rather than silently dropped. Only the parts whose shape belongs to later issues (truth
 * summaries, planned actions and findings, verification details) accept extra fields.
 */

/** The record format version; bump it (and keep reading the old one) when the schema changes. */
export const EVIDENCE_SCHEMA_VERSION = 1;

/** An instant as ISO-8601 UTC with a `Z` (any sub-second precision). */
export const isoInstantSchema = z.iso.datetime({
  error: "expected an ISO-8601 UTC instant such as 2024-05-01T12:00:00.000Z",
});

/** A SHA-256 digest as 64 lowercase hex digits. */
export const sha256HexSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "expected a SHA-256 digest: 64 lowercase hex digits");

const accountIdSchema = z.string().regex(/^\d{12}$/, "an AWS account id is exactly 12 digits");
const nonEmpty = z.string().min(1);

/** How an Okta event reached the pipeline. */
export const triggerChannelSchema = z.enum(["hook", "log-stream", "poller", "schedule", "manual"]);

/** One Okta event that triggered a run (a hint: the run read the truth, it did not apply the event). */
export const triggerEventSchema = z.strictObject({
  /** The LogEvent `uuid`. */
  oktaEventId: nonEmpty,
  eventType: nonEmpty,
  /** When Okta published the event: where time-to-revoke starts. */
  published: isoInstantSchema,
  kind: z.enum(["joiner", "mover", "leaver"]),
  channel: triggerChannelSchema,
  /**
   * Present when the event reached the pipeline later than the configured age after Okta published
   * it: accepted (the run read the truth), but possibly a replay or a long Okta delay.
   */
  stale: z
    .strictObject({
      ageSeconds: z.number().int().nonnegative(),
      maxAgeSeconds: z.number().int().nonnegative(),
    })
    .optional(),
});

/**
 * What started a run: Okta events, or a schedule, a person, a policy change, an Organizations event,
 * an Identity Center change.
 */
export const triggerSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("events"), events: z.array(triggerEventSchema).min(1) }),
  z.strictObject({ type: z.literal("schedule"), schedule: nonEmpty.optional() }),
  z.strictObject({ type: z.literal("manual"), requestedBy: nonEmpty, reason: nonEmpty.optional() }),
  /** `revision`: the policy file's version (commit or content hash) the run applied. */
  z.strictObject({ type: z.literal("policy-change"), revision: nonEmpty.optional() }),
  z.strictObject({ type: z.literal("account-event"), accountId: accountIdSchema, eventName: nonEmpty }),
  /**
   * An Identity Center change made outside the tool (a CloudTrail event, workflows/estate-triggers.ts):
   * the run judges the (account, permission set) pair, or the permission set alone.
   */
  z.strictObject({
    type: z.literal("identity-center-event"),
    eventName: nonEmpty,
    permissionSetArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:sso:::permissionSet\/\S+$/,
        "a permission set ARN (arn:aws:sso:::permissionSet/...)",
      ),
    accountId: accountIdSchema.optional(),
  }),
]);

/**
 * Summaries of the truth the run read before planning. `okta` names the fields every reader wants
 * (`userStatus` is `null` when the user no longer exists); the rest of the shape belongs to the
 * workflows that fill it.
 */
export const truthReadSchema = z.strictObject({
  okta: z.looseObject({
    userStatus: z.string().nullable().optional(),
    /** Names of the user's Okta groups (user runs) or of the groups read (estate runs). */
    groups: z.array(z.string()).optional(),
  }),
  identityCenter: z.record(z.string(), z.unknown()),
  organization: z.record(z.string(), z.unknown()).optional(),
});

/** Any object with a `kind`: planned actions and findings keep their full shape (core/plan). */
const kindedSchema = z.looseObject({ kind: nonEmpty });

/** The plan the run made, and why it was not applied when a guard blocked it. */
export const planSummarySchema = z.strictObject({
  actions: z.array(kindedSchema),
  findings: z.array(kindedSchema),
  /** `null` when the plan was applied; otherwise the guard violation(s), in words. */
  blockedReason: nonEmpty.nullable(),
});

/** The final status of one applied action (an Identity Center async operation ends SUCCEEDED or FAILED). */
export const actionStatusSchema = z.enum(["SUCCEEDED", "FAILED", "SKIPPED"]);

/** One AWS change the run attempted, with what AWS said. */
export const actionOutcomeSchema = z.strictObject({
  /** The plan action kind, such as `assignment.delete` or `deny.add`. */
  kind: nonEmpty,
  /** Stable identifiers of what was changed (`accountId`, `permissionSetArn`, `principalId`, ...). */
  target: z.record(z.string(), z.string()),
  /** The AWS request id (the async operation's RequestId when there is one); `null` when no call was made. */
  requestId: nonEmpty.nullable(),
  status: actionStatusSchema,
  /** What went wrong, for FAILED (and why it was skipped, for SKIPPED); `null` otherwise. */
  error: nonEmpty.nullable(),
  /**
   * Why an action counts as SUCCEEDED though AWS did not say so: a deletion whose principal was already
   * deleted from the identity store (AWS ends it FAILED with a 404 reason). Absent otherwise.
   */
  note: nonEmpty.optional(),
  /** `null` for an action that never started (SKIPPED). */
  startedAt: isoInstantSchema.nullable(),
  finishedAt: isoInstantSchema.nullable(),
  /** Calls made, retries included; 0 when skipped. */
  attempts: z.number().int().nonnegative(),
  /**
   * `revocation`: the pipeline's own revocation upkeep (a re-provision its inline Deny write made
   * necessary, an expired Deny lifted), never counted as drift. Absent for every other change.
   */
  cause: z.literal("revocation").optional(),
  /**
   * What the target was just before the action, as read (a deleted permission set's attributes,
   * policies, boundary and tags). Absent for actions whose plan entry says it all.
   */
  before: z.record(z.string(), z.unknown()).optional(),
  /** What the read-back found after the action (a deleted permission set: `{ exists: false }`). Absent likewise. */
  after: z.record(z.string(), z.unknown()).optional(),
});

/** The read-back after applying: does Identity Center now match the plan? */
export const verificationSchema = z.strictObject({
  passed: z.boolean(),
  details: z.array(z.looseObject({ check: nonEmpty, passed: z.boolean() })),
});

/** Named instants of a run; each is set when the run reached it. */
export const runTimingsSchema = z.strictObject({
  /** When Okta published the triggering event. */
  oktaPublished: isoInstantSchema.optional(),
  runStarted: isoInstantSchema.optional(),
  /** When the Deny against the user's sessions was in force everywhere. */
  denyInForce: isoInstantSchema.optional(),
  /** When the last assignment and membership of the user was gone. */
  accessRemoved: isoInstantSchema.optional(),
  runFinished: isoInstantSchema.optional(),
});

const runBodyShape = {
  trigger: triggerSchema,
  truth: truthReadSchema,
  plan: planSummarySchema,
  actions: z.array(actionOutcomeSchema),
  /** `null` when the run did not get to verify (a blocked plan, a failure before the read-back). */
  verification: verificationSchema.nullable(),
  timings: runTimingsSchema,
};

/** The user a user run reconciled. */
export const runSubjectSchema = z.strictObject({
  oktaUserId: nonEmpty,
  /** The Okta login, when known. */
  login: nonEmpty.nullable(),
  /** The Identity Center user id (what the Deny conditions on), when the user exists there. */
  identityCenterUserId: nonEmpty.nullable(),
});

/** One row of an access snapshot: who has which permission set in which account, through which group. */
export const snapshotRowSchema = z.strictObject({
  userId: nonEmpty,
  userName: nonEmpty,
  groupName: nonEmpty,
  permissionSetName: nonEmpty,
  accountId: accountIdSchema,
  /** Since when, if known. */
  since: isoInstantSchema.optional(),
});

const headerShape = {
  schemaVersion: z.literal(EVIDENCE_SCHEMA_VERSION),
  /** Injected unique id of this record. */
  recordId: nonEmpty,
  /** The workflow run (execution) the record belongs to. */
  runId: nonEmpty,
  createdAt: isoInstantSchema,
  /** Position in the chain: 0 for the first record, then +1 per record. */
  sequence: z.number().int().nonnegative(),
  /** SHA-256 of the previous record's canonical JSON; `null` only for the first record of the chain. */
  previousHash: sha256HexSchema.nullable(),
};

export const userRunRecordSchema = z.strictObject({
  ...headerShape,
  kind: z.literal("user-run"),
  body: z.strictObject({ subject: runSubjectSchema, ...runBodyShape }),
});

export const estateRunRecordSchema = z.strictObject({
  ...headerShape,
  kind: z.literal("estate-run"),
  body: z.strictObject({
    ...runBodyShape,
    /**
     * The triggers of the event-driven runs folded into this one (core/dispatch/estate-window.ts):
     * this run read the estate after each of them. Absent when none was.
     */
    coalescedTriggers: z.array(triggerSchema).min(1).optional(),
  }),
});

/**
 * A large snapshot lives in its own object (gzipped JSON Lines, one row per line); the chained record
 * carries its key, row count and SHA-256, so the chain vouches for it all the same.
 */
export const snapshotObjectSchema = z.strictObject({
  key: nonEmpty,
  format: z.literal("jsonl.gz"),
  rows: z.number().int().nonnegative(),
  sha256: sha256HexSchema,
});

export const snapshotRecordSchema = z.strictObject({
  ...headerShape,
  kind: z.literal("snapshot"),
  body: z.union([
    z.strictObject({ rows: z.array(snapshotRowSchema) }),
    z.strictObject({ object: snapshotObjectSchema }),
  ]),
});

/** Any evidence record, as stored. */
export const evidenceRecordSchema = z
  .discriminatedUnion("kind", [userRunRecordSchema, estateRunRecordSchema, snapshotRecordSchema])
  .refine((record) => record.previousHash !== null || record.sequence === 0, {
    path: ["previousHash"],
    message: "only the first record of the chain (sequence 0) may have a null previousHash",
  });

export type TriggerEvent = z.infer<typeof triggerEventSchema>;
export type Trigger = z.infer<typeof triggerSchema>;
export type TruthRead = z.infer<typeof truthReadSchema>;
export type PlanSummary = z.infer<typeof planSummarySchema>;
export type ActionOutcome = z.infer<typeof actionOutcomeSchema>;
export type Verification = z.infer<typeof verificationSchema>;
export type RunTimings = z.infer<typeof runTimingsSchema>;
export type RunSubject = z.infer<typeof runSubjectSchema>;
export type SnapshotRow = z.infer<typeof snapshotRowSchema>;
export type SnapshotObject = z.infer<typeof snapshotObjectSchema>;
export type UserRunRecord = z.infer<typeof userRunRecordSchema>;
export type EstateRunRecord = z.infer<typeof estateRunRecordSchema>;
export type SnapshotRecord = z.infer<typeof snapshotRecordSchema>;
/** A record of a workflow run (as opposed to a snapshot). */
export type RunRecord = UserRunRecord | EstateRunRecord;
export type EvidenceRecord = UserRunRecord | EstateRunRecord | SnapshotRecord;
export type EvidenceKind = EvidenceRecord["kind"];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A record before it joins the chain: `appendToChain` assigns `sequence` and `previousHash`. */
export type EvidenceDraft = DistributiveOmit<EvidenceRecord, "sequence" | "previousHash">;

/** Thrown when a record about to be chained does not match the schema (evidence is never written invalid). */
export class InvalidEvidenceRecordError extends Error {
  override name = "InvalidEvidenceRecordError";
  readonly errors: FieldErrors;
  constructor(errors: FieldErrors) {
    super(`invalid evidence record: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
    this.errors = errors;
  }
}

/**
 * Validates an untrusted value (a stored record, parsed JSON) against the evidence record schema.
 * Hash the value you passed in, not the returned copy: zod rebuilds free-form objects and drops a
 * `__proto__` key.
 */
export function parseEvidenceRecord(value: unknown): Parsed<EvidenceRecord> {
  const result = evidenceRecordSchema.safeParse(value);
  return result.success
    ? { success: true, data: result.data }
    : { success: false, errors: toFieldErrors(result.error) };
}
