import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupMembershipCommand,
  DeleteUserCommand,
} from "@aws-sdk/client-identitystore";
import {
  DescribePermissionSetCommand,
  paginateListAccountAssignments,
  paginateListPermissionSets,
  paginateListPermissionSetsProvisionedToAccount,
} from "@aws-sdk/client-sso-admin";
import { allItems, firstItem } from "../aws-pages.ts";
import { type ProbeAssignment, runAssignmentOperation } from "./assignment-operations.ts";
import type { InstanceClients } from "./inherited-assignments.ts";
import { judgeInheritedListing } from "./inherited-assignments.ts";
import { observed, type SwitchObservation, unknown } from "./switch-observation.ts";
import type { TemporaryResources } from "./temporary-resources.ts";

/** Thrown when the probe cannot tell which permission set to assign; the message says what to pass. */
export class PermissionSetChoiceError extends Error {
  override name = "PermissionSetChoiceError";
}

export interface IdentityCenterWriteContext {
  instance: InstanceClients;
  resources: TemporaryResources;
  progress: (line: string) => void;
  /** `oal-probe-<timestamp>`: every temporary resource's name. */
  name: string;
  accountId: string;
  /** ARN or name; default: a permission set already provisioned to the account (nothing new provisioned). */
  permissionSet?: string;
  wait: { pollMs: number; timeoutMs: number };
}

export interface IdentityCenterWriteResult {
  permissionSetArn: string;
  inherited: SwitchObservation<"listForPrincipalIncludesInherited">;
  orphaned: SwitchObservation<"orphanedAssignmentDeletion">;
}

async function choosePermissionSet(ctx: IdentityCenterWriteContext): Promise<string> {
  const { ssoAdmin, instanceArn } = ctx.instance;
  const wanted = ctx.permissionSet;
  if (wanted?.startsWith("arn:")) return wanted;
  if (wanted !== undefined) {
    for await (const page of paginateListPermissionSets({ client: ssoAdmin }, { InstanceArn: instanceArn }))
      for (const arn of page.PermissionSets ?? []) {
        const set = await ssoAdmin.send(
          new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
        );
        if (set.PermissionSet?.Name === wanted) return arn;
      }
    throw new PermissionSetChoiceError(
      `--permission-set: no permission set named ${wanted} in ${instanceArn}`,
    );
  }
  const first = await firstItem(
    paginateListPermissionSetsProvisionedToAccount(
      { client: ssoAdmin },
      { InstanceArn: instanceArn, AccountId: ctx.accountId },
    ),
    (p) => p.PermissionSets,
  );
  if (first === undefined)
    throw new PermissionSetChoiceError(
      `no permission set is provisioned to account ${ctx.accountId}: pass --permission-set <name or ARN> (assigning it provisions its role in that account)`,
    );
  return first;
}

const isNotFound = (error: unknown) => (error as Error).name === "ResourceNotFoundException";

/**
 * Creates a temporary group, user, membership and two assignments (the group's, the user's) on the
 * chosen account, then observes:
 * - whether ListAccountAssignmentsForPrincipal for the user returns the group's assignment;
 * - how DeleteAccountAssignment ends once the user was deleted (the orphaned-assignment case).
 * Every resource is registered for cleanup as soon as it exists.
 */
export async function probeIdentityCenterWrites(
  ctx: IdentityCenterWriteContext,
): Promise<IdentityCenterWriteResult> {
  const { ssoAdmin, identityStore, instanceArn, identityStoreId } = ctx.instance;
  const { resources, progress, name } = ctx;
  const permissionSetArn = await choosePermissionSet(ctx);
  progress(`  assignments use ${permissionSetArn} on account ${ctx.accountId}`);

  const groupId = (
    await identityStore.send(
      new CreateGroupCommand({
        IdentityStoreId: identityStoreId,
        DisplayName: name,
        Description: "Temporary: okta-aws-lifecycle probe. Safe to delete.",
      }),
    )
  ).GroupId as string;
  resources.add({
    description: `identity store group ${name} (${groupId})`,
    remove: async () => {
      await identityStore.send(
        new DeleteGroupCommand({ IdentityStoreId: identityStoreId, GroupId: groupId }),
      );
    },
  });
  const userId = (
    await identityStore.send(
      new CreateUserCommand({
        IdentityStoreId: identityStoreId,
        UserName: name,
        DisplayName: name,
        Name: { GivenName: "oal-probe", FamilyName: "temporary" },
      }),
    )
  ).UserId as string;
  const userDescription = `identity store user ${name} (${userId})`;
  resources.add({
    description: userDescription,
    remove: async () => {
      await identityStore.send(new DeleteUserCommand({ IdentityStoreId: identityStoreId, UserId: userId }));
    },
  });
  const membershipId = (
    await identityStore.send(
      new CreateGroupMembershipCommand({
        IdentityStoreId: identityStoreId,
        GroupId: groupId,
        MemberId: { UserId: userId },
      }),
    )
  ).MembershipId as string;
  resources.add({
    description: `membership of ${name} in ${name} (${membershipId})`,
    remove: async () => {
      // Deleting the user may already have removed it.
      await identityStore
        .send(
          new DeleteGroupMembershipCommand({ IdentityStoreId: identityStoreId, MembershipId: membershipId }),
        )
        .catch((error) => {
          if (!isNotFound(error)) throw error;
        });
    },
  });

  const assign = async (principalType: "USER" | "GROUP", principalId: string) => {
    const assignment: ProbeAssignment = {
      accountId: ctx.accountId,
      permissionSetArn,
      principalType,
      principalId,
    };
    const description = `assignment of ${principalType.toLowerCase()} ${name} to ${permissionSetArn} on ${ctx.accountId}`;
    const created = await runAssignmentOperation(ssoAdmin, instanceArn, "create", assignment, ctx.wait);
    if (created.status !== "SUCCEEDED")
      throw new Error(
        `creating the ${description} ended FAILED: ${created.failureReason ?? "no reason given"}`,
      );
    resources.add({
      description,
      remove: async () => {
        const deleted = await runAssignmentOperation(ssoAdmin, instanceArn, "delete", assignment, ctx.wait);
        if (deleted.status !== "SUCCEEDED")
          throw new Error(
            `deletion ${deleted.requestId} ended FAILED: ${deleted.failureReason ?? "no reason given"}`,
          );
      },
    });
    return { assignment, description };
  };

  await assign("GROUP", groupId);
  progress("  asking ListAccountAssignmentsForPrincipal about the user, whose group holds an assignment");
  const inherited = await judgeInheritedListing(ctx.instance, userId, groupId);

  const user = await assign("USER", userId);
  progress("  deleting the user, then its assignment (the orphaned-assignment case)");
  await identityStore.send(new DeleteUserCommand({ IdentityStoreId: identityStoreId, UserId: userId }));
  resources.gone(userDescription);
  const deletion = await runAssignmentOperation(ssoAdmin, instanceArn, "delete", user.assignment, ctx.wait);
  const listed = await allItems(
    paginateListAccountAssignments(
      { client: ssoAdmin },
      { InstanceArn: instanceArn, AccountId: ctx.accountId, PermissionSetArn: permissionSetArn },
    ),
    (p) => p.AccountAssignments,
  );
  const stillListed = listed.some((a) => a.PrincipalType === "USER" && a.PrincipalId === userId);
  const listing = stillListed ? "the orphaned assignment is still listed" : "it is no longer listed";
  let orphaned: SwitchObservation<"orphanedAssignmentDeletion">;
  if (deletion.status === "SUCCEEDED") {
    resources.gone(user.description);
    orphaned = observed(
      "orphanedAssignmentDeletion",
      "succeeds",
      `deletion ${deletion.requestId} SUCCEEDED; ${listing}`,
    );
  } else {
    const reason = deletion.failureReason ?? "no reason given";
    orphaned = /404|not found/i.test(reason)
      ? observed(
          "orphanedAssignmentDeletion",
          "fails-404",
          `deletion ${deletion.requestId} FAILED: "${reason}"; ${listing}`,
        )
      : unknown(
          "orphanedAssignmentDeletion",
          `deletion ${deletion.requestId} FAILED for another reason: "${reason}"`,
        );
    if (stillListed)
      resources.keep(
        user.description,
        `AWS refuses to delete an assignment whose user is gone (FAILED: "${reason}"); it grants nothing, its user no longer exists`,
      );
    else resources.gone(user.description);
  }
  return { permissionSetArn, inherited, orphaned };
}
