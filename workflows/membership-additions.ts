import { type MapState, type Retrier, sdk } from "./asl.ts";
import { IDENTITY_STORE_ERROR_PREFIXES, IDENTITY_STORE_RETRY } from "./identity-center-operations.ts";

/** The evidence note of a membership addition that found the user already a member. */
export const ALREADY_A_MEMBER = "done: already a member (ConflictException UNIQUENESS_CONSTRAINT_VIOLATION)";

const named = (code: string) => IDENTITY_STORE_ERROR_PREFIXES.map((prefix) => `${prefix}.${code}`);

/**
 * IDENTITY_STORE_RETRY without ConflictException. identitystore answers a duplicate membership with
 * ConflictException `Reason: UNIQUENESS_CONSTRAINT_VIOLATION` and a concurrent write with `Reason:
 * CONCURRENT_MODIFICATION`; a Step Functions SDK task surfaces only `Error` (`Identitystore.ConflictException`)
 * and a `Cause` string, whose content AWS does not document (the Java SDK message, most likely without
 * the Reason member). So the first add never retries a conflict blindly (twelve retries of a duplicate
 * would only repeat it); the conflict is settled by reading the truth instead.
 */
const RETRY_EXCEPT_CONFLICT: Retrier = {
  ...IDENTITY_STORE_RETRY,
  ErrorEquals: IDENTITY_STORE_RETRY.ErrorEquals.filter((e) => !e.endsWith(".ConflictException")),
};

const MEMBER = {
  "IdentityStoreId.$": "$.IdentityStoreId",
  "GroupId.$": "$.GroupId",
  "MemberId.$": "$.MemberId",
};

const failed = { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "MembershipAdditionFailed" };

/**
 * The iteration of AddMemberships (items: CreateGroupMembership parameters). A ConflictException is
 * settled by GetGroupMembershipId: the membership exists -> done, "already a member" (the
 * UNIQUENESS_CONSTRAINT_VIOLATION case); it does not -> a concurrent modification, so the add is made
 * again with conflicts retried; if that still conflicts, a last read decides. Outcome:
 * `{status: SUCCEEDED|FAILED, groupId, membershipId?, note?, error?}`.
 */
export function membershipAdditionsProcessor(): MapState["ItemProcessor"] {
  return {
    ProcessorConfig: { Mode: "INLINE" },
    StartAt: "AddMembership",
    States: {
      AddMembership: {
        Type: "Task",
        Resource: sdk("identitystore", "createGroupMembership"),
        Parameters: MEMBER,
        ResultPath: "$.added",
        Retry: [RETRY_EXCEPT_CONFLICT],
        Catch: [
          {
            ErrorEquals: named("ConflictException"),
            ResultPath: "$.conflict",
            Next: "FindExistingMembership",
          },
          failed,
        ],
        Next: "MembershipAdded",
      },
      FindExistingMembership: {
        Type: "Task",
        Resource: sdk("identitystore", "getGroupMembershipId"),
        Parameters: MEMBER,
        ResultPath: "$.existing",
        Retry: [IDENTITY_STORE_RETRY],
        Catch: [
          { ErrorEquals: named("ResourceNotFoundException"), ResultPath: null, Next: "AddMembershipAgain" },
          failed,
        ],
        Next: "AlreadyMember",
      },
      AddMembershipAgain: {
        Type: "Task",
        Comment: "Not a member: the conflict was a concurrent modification, which is retried.",
        Resource: sdk("identitystore", "createGroupMembership"),
        Parameters: MEMBER,
        ResultPath: "$.added",
        Retry: [IDENTITY_STORE_RETRY],
        Catch: [
          { ErrorEquals: named("ConflictException"), ResultPath: "$.conflict", Next: "ConfirmMembership" },
          failed,
        ],
        Next: "MembershipAdded",
      },
      ConfirmMembership: {
        Type: "Task",
        Resource: sdk("identitystore", "getGroupMembershipId"),
        Parameters: MEMBER,
        ResultPath: "$.existing",
        Retry: [IDENTITY_STORE_RETRY],
        Catch: [failed],
        Next: "AlreadyMember",
      },
      MembershipAdded: {
        Type: "Pass",
        Parameters: {
          status: "SUCCEEDED",
          "groupId.$": "$.GroupId",
          "membershipId.$": "$.added.MembershipId",
        },
        End: true,
      },
      AlreadyMember: {
        Type: "Pass",
        Parameters: {
          status: "SUCCEEDED",
          "groupId.$": "$.GroupId",
          "membershipId.$": "$.existing.MembershipId",
          note: ALREADY_A_MEMBER,
        },
        End: true,
      },
      MembershipAdditionFailed: {
        Type: "Pass",
        Parameters: { status: "FAILED", "groupId.$": "$.GroupId", "error.$": "$.error" },
        End: true,
      },
    },
  };
}
