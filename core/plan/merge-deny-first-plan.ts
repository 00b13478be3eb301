import type { DenyEntry } from "../estate.ts";
import { denyKey } from "./deny-key.ts";
import type { PlanAction } from "./plan.ts";
import type { UserRunPlan } from "./plan-user-run.ts";
import type { UserTruth } from "./user-truth.ts";

/** What the run does after a Deny-first pass: the whole-truth plan, with the first pass's Denies. */
export type DenyFirstMergedPlan = Omit<UserRunPlan, "deniedFirstAs"> & { reapplyDeny: boolean };

/**
 * A leaver the pipeline holds a record of is denied before the whole truth is read (read-user-truth.ts,
 * `accessRead: false`), and planned again from the whole truth after the Deny (`second`). From then on
 * the run does what the second plan says, and it also carries the first plan's Denies, so the Denies
 * the run placed are verified, recorded as `deny.add` and lifted after the hold.
 *
 * The whole truth may disagree with the record (`recordedUserId`):
 * - it resolves this Okta user to another Identity Center user: that user is denied too, and the
 *   recorded one stays denied (the pipeline recorded it for this Okta user when Okta backed it);
 * - it finds that the recorded user belongs to another Okta user (an identity conflict on that id, or
 *   its external id names another Okta user: truth `recordedUser`): the first Denies are lifted, since
 *   they would lock out someone who has not left, and the user the whole read found is denied;
 * - the user is active again and the second plan lifts the leaver Deny: it is not carried.
 * Any of these sets `reapplyDeny`, and the reason and a finding say what happened.
 */
export function mergeDenyFirstPlan(
  first: UserRunPlan,
  second: UserRunPlan,
  secondTruth: Pick<UserTruth, "identityCenter">,
  recordedUserId: string,
): DenyFirstMergedPlan {
  const { resolution, recordedUser } = secondTruth.identityCenter;
  const recordBelongsToAnother =
    (resolution?.outcome === "conflict" && resolution.userId === recordedUserId) ||
    (recordedUser?.userId === recordedUserId && recordedUser.verdict === "other-user");
  const lifted = new Set(second.lifts.map(denyKey));
  // A first Deny the second plan makes again (same user, reason and scope) was not recorded (its write
  // failed): the second one stands for it.
  const planned = new Set(second.denies.map(sameDeny));
  const firstDenies = first.denies.filter((d) => !lifted.has(denyKey(d)) && !planned.has(sameDeny(d)));
  const lifts: DenyEntry[] = recordBelongsToAnother ? [...second.lifts, ...firstDenies] : second.lifts;
  const carried = recordBelongsToAnother ? [] : firstDenies;
  const denyAdds = firstDenies.map(
    (deny): PlanAction => ({ kind: "deny.add", deny, inlinePermissionSetArns: [] }),
  );
  const conflictLifts = recordBelongsToAnother
    ? firstDenies.map(
        (deny): PlanAction => ({
          kind: "deny.lift",
          deny,
          inlinePermissionSetArns: [],
          why: "identity-conflict",
        }),
      )
    : [];
  const foundUserId = secondTruth.identityCenter.userId;
  const disagrees = foundUserId !== recordedUserId;
  const denies = [...carried, ...second.denies];
  const { deniedFirstAs: _, ...secondPlan } = second;
  return {
    ...secondPlan,
    reason: `${second.reason}; denied first as Identity Center user ${recordedUserId}, which the pipeline recorded for this Okta user${
      recordBelongsToAnother
        ? ", whose external id names another Okta user: that Deny is lifted"
        : foundUserId !== null && foundUserId !== recordedUserId
          ? `, and the whole read found ${foundUserId}: both are denied`
          : ""
    }`,
    denies,
    lifts,
    actions: [...denyAdds, ...conflictLifts, ...second.actions],
    findings: [
      ...second.findings,
      ...(disagrees
        ? [
            {
              kind: "identity-link-stale" as const,
              message: `The pipeline's record named Identity Center user ${recordedUserId} for this Okta user, but the whole read found ${foundUserId ?? "no user"}${recordBelongsToAnother ? " and the record's user belongs to another Okta user" : ""}.`,
              subject: { identityCenterUserId: recordedUserId, ...(foundUserId ? { foundUserId } : {}) },
            },
          ]
        : []),
    ],
    holdSeconds: denies.length > 0 ? Math.max(first.holdSeconds, second.holdSeconds) : second.holdSeconds,
    reapplyDeny: second.denies.length > 0 || lifts.length > 0,
  };
}

/** A Deny's user, reason and scope, without the instant it was made. */
const sameDeny = (d: DenyEntry) => denyKey({ ...d, createdAt: "" });
