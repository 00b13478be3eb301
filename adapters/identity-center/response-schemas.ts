/**
 * The parts of sso-admin and identitystore responses the adapter relies on, as zod schemas. Lists
 * AWS leaves out when empty default to `[]`; ids, names and statuses must be present.
 */
import { z } from "zod";

const required = (issue: { input?: unknown }) => (issue.input === undefined ? "required" : undefined);

const id = z.string({ error: required }).min(1);
const accountId = z.string({ error: required }).regex(/^\d{12}$/, "expected a 12-digit account id");
const principalType = z.enum(["USER", "GROUP"], { error: required });
const operationStatus = z.enum(["IN_PROGRESS", "SUCCEEDED", "FAILED"], { error: required });
/** An empty NextToken ends the list like an absent one. */
const nextToken = z
  .string()
  .optional()
  .transform((token) => (token === "" ? undefined : token));

const assignment = z.object({
  AccountId: accountId,
  PermissionSetArn: id,
  PrincipalType: principalType,
  PrincipalId: id,
});

export const assignmentsPage = z.object({
  AccountAssignments: z.array(assignment).default([]),
  NextToken: nextToken,
});

export const arnsPage = z.object({ PermissionSets: z.array(id).default([]), NextToken: nextToken });
/** ListTagsForResource: a tag's Value may be empty (sso-admin model: TagValue, length 0-256). */
export const tagsPage = z.object({
  Tags: z.array(z.object({ Key: z.string().min(1), Value: z.string() })).default([]),
  NextToken: nextToken,
});

export const accountIdsPage = z.object({ AccountIds: z.array(id).default([]), NextToken: nextToken });

export const describePermissionSet = z.object({
  PermissionSet: z.object(
    { PermissionSetArn: id, Name: id, SessionDuration: z.string().min(1).default("PT1H") },
    { error: required },
  ),
});

const asyncStatus = z.object(
  { RequestId: id, Status: operationStatus, FailureReason: z.string().optional() },
  { error: required },
);

export const assignmentCreation = z.object({ AccountAssignmentCreationStatus: asyncStatus });
export const assignmentDeletion = z.object({ AccountAssignmentDeletionStatus: asyncStatus });
export const provisioning = z.object({ PermissionSetProvisioningStatus: asyncStatus });

export const inlinePolicy = z.object({ InlinePolicy: z.string().optional() });

export const userId = z.object({ UserId: id });
export const membershipId = z.object({ MembershipId: id });

/** DescribeUser: `UserName` is optional in the identitystore model, `ExternalIds` absent when empty. */
export const describeUser = z.object({
  UserId: id,
  UserName: z.string().min(1).optional(),
  ExternalIds: z.array(z.object({ Issuer: id, Id: id })).default([]),
});

/** ListUsers: `UserName` is optional in the model (the adapter skips and reports users without one). */
export const usersPage = z.object({
  Users: z.array(z.object({ UserId: id, UserName: z.string().min(1).optional() })).default([]),
  NextToken: nextToken,
});

/** ListGroups: `DisplayName` is optional in the model (the adapter skips and reports groups without one). */
export const groupsPage = z.object({
  Groups: z.array(z.object({ GroupId: id, DisplayName: z.string().min(1).optional() })).default([]),
  NextToken: nextToken,
});

export const membershipsPage = z.object({
  GroupMemberships: z
    .array(
      z.object({
        MembershipId: id,
        GroupId: id,
        MemberId: z.object({ UserId: id }, { error: required }),
      }),
    )
    .default([]),
  NextToken: nextToken,
});
