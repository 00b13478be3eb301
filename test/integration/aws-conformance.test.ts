import { setTimeout as sleep } from "node:timers/promises";
import * as eventbridge from "@aws-sdk/client-eventbridge";
import * as identitystore from "@aws-sdk/client-identitystore";
import * as organizations from "@aws-sdk/client-organizations";
import * as sfn from "@aws-sdk/client-sfn";
import * as ssoAdmin from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  localClientConfig,
  type RunningServer,
  startAwsJsonServer,
} from "../../local/emulators/aws-json-server.ts";
import {
  createIdentityCenterEmulator,
  type IdentityCenterEmulator,
} from "../../local/emulators/identity-center/index.ts";
import {
  createOrganizationsEmulator,
  type OrganizationsEmulator,
} from "../../local/emulators/organizations/index.ts";
import { createEventBusEmulator } from "../../local/runtime/event-bus-emulator.ts";
import { createSdkTaskInvoker } from "../../local/runtime/sdk-task-invoker.ts";
import { createStepFunctionsEmulator } from "../../local/runtime/step-functions-emulator.ts";
import { AwsAnswerLog } from "../support/aws-answer-log.ts";
import { AwsModel } from "../support/aws-model.ts";
import { operationsImported, operationsOfWorkflows } from "../support/aws-operations-used.ts";
import { createdAccount } from "../support/created-account.ts";

/**
 * The AWS emulators answer as AWS's service models say (botocore's models, vendored in
 * test/fixtures/aws/models by scripts/vendor-aws-models.ts): every operation the adapters, workflows,
 * CLI and local stack call is called here through the real SDK v3 clients, with valid and invalid
 * input, and every answer is checked against the model: output shape, error code listed for the
 * operation, HTTP status, error members, x-amzn-RequestId, content type.
 */

const models = {
  ssoAdmin: new AwsModel("sso-admin"),
  identityStore: new AwsModel("identitystore"),
  organizations: new AwsModel("organizations"),
  stepFunctions: new AwsModel("stepfunctions"),
  events: new AwsModel("events"),
};
const log = new AwsAnswerLog();

const MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:conformance";
const EXECUTIONS = MACHINE.replace(":stateMachine:", ":execution:");
const BUS = "conformance-bus";
const ACCOUNT = "222222222222";
const OTHER_ACCOUNT = "333333333333";
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const SCP = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }],
});

let server: RunningServer;
let ic: IdentityCenterEmulator;
let org: OrganizationsEmulator;
let clients: {
  ssoAdmin: ssoAdmin.SSOAdminClient;
  identityStore: identitystore.IdentitystoreClient;
  organizations: organizations.OrganizationsClient;
  sfn: sfn.SFNClient;
  events: eventbridge.EventBridgeClient;
};
let permissionSetArn: string;
let userId: string;
let groupId: string;

beforeAll(async () => {
  ic = createIdentityCenterEmulator({ limits: { latencyMs: 5, ssoAdminTps: 0, identityStoreTps: 0 } });
  org = createOrganizationsEmulator();
  const stepFunctions = createStepFunctionsEmulator(
    [
      {
        arn: MACHINE,
        definition: { StartAt: "Hold", States: { Hold: { Type: "Wait", Seconds: 1, End: true } } },
        lambdas: {},
        waitOverridesMs: { Hold: 1_000 },
      },
    ],
    createSdkTaskInvoker({}),
  );
  const bus = createEventBusEmulator(BUS, []);
  server = await startAwsJsonServer([...ic.services, org.service, stepFunctions.service, bus.service]);
  const config = localClientConfig(server.endpoint);
  clients = {
    ssoAdmin: log.attach(new ssoAdmin.SSOAdminClient(config), models.ssoAdmin),
    identityStore: log.attach(new identitystore.IdentitystoreClient(config), models.identityStore),
    organizations: log.attach(new organizations.OrganizationsClient(config), models.organizations),
    sfn: log.attach(new sfn.SFNClient(config), models.stepFunctions),
    events: log.attach(new eventbridge.EventBridgeClient(config), models.events),
  };
  permissionSetArn = ic.seed.permissionSet({ name: "Admin" });
  userId = ic.seed.user({ userName: "ana@example.com" });
  groupId = ic.seed.group({ displayName: "aws-admins" });
  ic.seed.membership(groupId, userId);
  ic.seed.assignment({ accountId: ACCOUNT, permissionSetArn, principalType: "GROUP", principalId: groupId });
});

afterAll(async () => {
  for (const client of Object.values(clients)) client.destroy();
  await server.close();
});

/** Sends a command; an AWS error is returned, not thrown (its answer is in the log either way). */
async function send(client: { send(command: never): Promise<unknown> }, command: unknown) {
  try {
    return { output: (await client.send(command as never)) as Record<string, unknown> };
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number }; $response?: unknown };
    if (e.$metadata === undefined) throw error;
    return { error: e as Error & Record<string, unknown> };
  }
}

/** The value at `path` in a call's output, as text ("" when absent). */
function outputAt(result: { output?: Record<string, unknown> }, ...path: string[]): string {
  let value: unknown = result.output;
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  return value === undefined ? "" : String(value);
}

/** Runs `calls`, then returns what they answered: problems, and `status code` of each answer. */
async function answersOf(calls: () => Promise<unknown>) {
  const from = log.answers.length;
  await calls();
  const answers = log.since(from);
  return {
    problems: answers.flatMap((answer) => answer.problems),
    outcomes: answers.map((answer) =>
      `${answer.operation} ${answer.status} ${answer.errorCode ?? ""}`.trim(),
    ),
    answers,
  };
}

/** Polls an asynchronous Identity Center operation until it leaves IN_PROGRESS. */
async function settle(describe: () => Promise<{ output?: Record<string, unknown> }>, root: string) {
  for (let i = 0; i < 50; i++) {
    const { output } = await describe();
    if ((output?.[root] as { Status?: string } | undefined)?.Status !== "IN_PROGRESS") return output;
    await sleep(5);
  }
  throw new Error(`${root} stayed IN_PROGRESS`);
}

describe("AWS conformance: sso-admin", () => {
  it("answers the reads and writes the pipeline makes as the model says", async () => {
    const instanceArn = ic.instanceArn;
    const { problems, outcomes } = await answersOf(async () => {
      const c = clients.ssoAdmin;
      await send(c, new ssoAdmin.ListInstancesCommand({}));
      await send(c, new ssoAdmin.ListPermissionSetsCommand({ InstanceArn: instanceArn, MaxResults: 1 }));
      await send(
        c,
        new ssoAdmin.DescribePermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
        }),
      );
      await send(
        c,
        new ssoAdmin.PutInlinePolicyToPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
          InlinePolicy: SCP,
        }),
      );
      await send(
        c,
        new ssoAdmin.GetInlinePolicyForPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
        }),
      );
      const provision = await send(
        c,
        new ssoAdmin.ProvisionPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
          TargetType: "AWS_ACCOUNT",
          TargetId: ACCOUNT,
        }),
      );
      const provisionId = outputAt(provision, "PermissionSetProvisioningStatus", "RequestId");
      await settle(
        () =>
          send(
            c,
            new ssoAdmin.DescribePermissionSetProvisioningStatusCommand({
              InstanceArn: instanceArn,
              ProvisionPermissionSetRequestId: provisionId,
            }),
          ),
        "PermissionSetProvisioningStatus",
      );
      await send(
        c,
        new ssoAdmin.ListPermissionSetsProvisionedToAccountCommand({
          InstanceArn: instanceArn,
          AccountId: ACCOUNT,
        }),
      );
      await send(
        c,
        new ssoAdmin.ListAccountsForProvisionedPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
          ProvisioningStatus: "LATEST_PERMISSION_SET_PROVISIONED",
          MaxResults: 1,
        }),
      );
      await send(
        c,
        new ssoAdmin.ListAccountAssignmentsCommand({
          InstanceArn: instanceArn,
          AccountId: ACCOUNT,
          PermissionSetArn: permissionSetArn,
        }),
      );
      const assignment = {
        InstanceArn: instanceArn,
        TargetId: OTHER_ACCOUNT,
        TargetType: "AWS_ACCOUNT" as const,
        PermissionSetArn: permissionSetArn,
        PrincipalType: "USER" as const,
        PrincipalId: userId,
      };
      const created = await send(c, new ssoAdmin.CreateAccountAssignmentCommand(assignment));
      const createdId = outputAt(created, "AccountAssignmentCreationStatus", "RequestId");
      await settle(
        () =>
          send(
            c,
            new ssoAdmin.DescribeAccountAssignmentCreationStatusCommand({
              InstanceArn: instanceArn,
              AccountAssignmentCreationRequestId: createdId,
            }),
          ),
        "AccountAssignmentCreationStatus",
      );
      await send(
        c,
        new ssoAdmin.ListAccountAssignmentsForPrincipalCommand({
          InstanceArn: instanceArn,
          PrincipalId: userId,
          PrincipalType: "USER",
        }),
      );
      const deleted = await send(c, new ssoAdmin.DeleteAccountAssignmentCommand(assignment));
      const deletedId = outputAt(deleted, "AccountAssignmentDeletionStatus", "RequestId");
      await settle(
        () =>
          send(
            c,
            new ssoAdmin.DescribeAccountAssignmentDeletionStatusCommand({
              InstanceArn: instanceArn,
              AccountAssignmentDeletionRequestId: deletedId,
            }),
          ),
        "AccountAssignmentDeletionStatus",
      );
      await send(
        c,
        new ssoAdmin.DeleteInlinePolicyFromPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
        }),
      );
    });

    expect(problems).toEqual([]);
    expect(outcomes.every((outcome) => outcome.includes(" 200"))).toBe(true);
  });

  it("answers bad input, unknown resources, conflicts, throttling and faults with the modelled errors", async () => {
    const instanceArn = ic.instanceArn;
    const unknownPermissionSet = `${permissionSetArn.slice(0, -16)}0123456789abcdef`;
    const { problems, outcomes } = await answersOf(async () => {
      const c = clients.ssoAdmin;
      await send(
        c,
        new ssoAdmin.DescribePermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: "not-an-arn",
        }),
      );
      await send(
        c,
        new ssoAdmin.DescribePermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: unknownPermissionSet,
        }),
      );
      await send(
        c,
        new ssoAdmin.CreateAccountAssignmentCommand({
          InstanceArn: instanceArn,
          TargetId: ACCOUNT,
          TargetType: "AWS_ACCOUNT",
          PermissionSetArn: permissionSetArn,
          PrincipalType: "USER",
          PrincipalId: UNKNOWN_ID,
        }),
      );
      await send(
        c,
        new ssoAdmin.DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn: instanceArn,
          AccountAssignmentCreationRequestId: UNKNOWN_ID,
        }),
      );
      await send(
        c,
        new ssoAdmin.PutInlinePolicyToPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
          InlinePolicy: JSON.stringify({ Statement: "x".repeat(11_000) }),
        }),
      );
      await send(
        c,
        new ssoAdmin.ListAccountAssignmentsCommand({
          InstanceArn: instanceArn,
          AccountId: ACCOUNT,
          PermissionSetArn: permissionSetArn,
          NextToken: "forged",
        }),
      );
      await send(
        c,
        new ssoAdmin.ListAccountsForProvisionedPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
          ProvisioningStatus: "LATEST" as ssoAdmin.ProvisioningStatus,
        }),
      );
      await send(
        c,
        new ssoAdmin.ListAccountsForProvisionedPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: unknownPermissionSet,
        }),
      );
      // One permission-set operation per account at a time: the second is a ConflictException.
      ic.limits.latencyMs = 60_000;
      await send(
        c,
        new ssoAdmin.ProvisionPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
          TargetType: "AWS_ACCOUNT",
          TargetId: ACCOUNT,
        }),
      );
      await send(
        c,
        new ssoAdmin.ProvisionPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
          TargetType: "AWS_ACCOUNT",
          TargetId: ACCOUNT,
        }),
      );
      // The set is being provisioned (and assigned): AWS refuses to delete it (the emulator cites why).
      await send(
        c,
        new ssoAdmin.DeletePermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
        }),
      );
      await send(
        c,
        new ssoAdmin.DeletePermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: unknownPermissionSet,
        }),
      );
      await send(
        c,
        new ssoAdmin.ListTagsForResourceCommand({
          InstanceArn: instanceArn,
          ResourceArn: unknownPermissionSet,
        }),
      );
      ic.limits.latencyMs = 5;
      ic.faults.throttleRate = 1;
      await send(c, new ssoAdmin.ListInstancesCommand({}));
      ic.faults.throttleRate = 0;
      ic.faults.serverErrorRate = 1;
      await send(c, new ssoAdmin.ListInstancesCommand({}));
      ic.faults.serverErrorRate = 0;
      await sleep(10);
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      "DescribePermissionSet 400 ValidationException",
      "DescribePermissionSet 404 ResourceNotFoundException",
      "CreateAccountAssignment 404 ResourceNotFoundException",
      "DescribeAccountAssignmentCreationStatus 404 ResourceNotFoundException",
      "PutInlinePolicyToPermissionSet 400 ValidationException",
      "ListAccountAssignments 400 ValidationException",
      "ListAccountsForProvisionedPermissionSet 400 ValidationException",
      "ListAccountsForProvisionedPermissionSet 404 ResourceNotFoundException",
      "ProvisionPermissionSet 200",
      "ProvisionPermissionSet 409 ConflictException",
      "DeletePermissionSet 409 ConflictException",
      "DeletePermissionSet 404 ResourceNotFoundException",
      "ListTagsForResource 404 ResourceNotFoundException",
      "ListInstances 429 ThrottlingException",
      "ListInstances 500 InternalServerException",
    ]);
  });
});

describe("AWS conformance: sso-admin permission-set content", () => {
  it("creates, updates, tags, bounds and attaches customer managed policies as the model says", async () => {
    const instanceArn = ic.instanceArn;
    const c = clients.ssoAdmin;
    const target = { InstanceArn: instanceArn, PermissionSetArn: "" };
    const { problems, outcomes } = await answersOf(async () => {
      const created = await send(
        c,
        new ssoAdmin.CreatePermissionSetCommand({
          InstanceArn: instanceArn,
          Name: "ContentConformance",
          SessionDuration: "PT2H",
          Tags: [{ Key: "owner", Value: "platform" }],
        }),
      );
      target.PermissionSetArn = outputAt(created, "PermissionSet", "PermissionSetArn");
      await send(
        c,
        new ssoAdmin.UpdatePermissionSetCommand({
          ...target,
          Description: "conformance",
          SessionDuration: "PT4H",
          RelayState: "https://console.aws.amazon.com/ec2/",
        }),
      );
      await send(c, new ssoAdmin.DescribePermissionSetCommand(target));
      await send(
        c,
        new ssoAdmin.AttachManagedPolicyToPermissionSetCommand({
          ...target,
          ManagedPolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
        }),
      );
      await send(c, new ssoAdmin.ListManagedPoliciesInPermissionSetCommand(target));
      await send(
        c,
        new ssoAdmin.DetachManagedPolicyFromPermissionSetCommand({
          ...target,
          ManagedPolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
        }),
      );
      await send(
        c,
        new ssoAdmin.AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
          ...target,
          CustomerManagedPolicyReference: { Name: "deploy", Path: "/ci/" },
        }),
      );
      await send(c, new ssoAdmin.ListCustomerManagedPolicyReferencesInPermissionSetCommand(target));
      await send(
        c,
        new ssoAdmin.DetachCustomerManagedPolicyReferenceFromPermissionSetCommand({
          ...target,
          CustomerManagedPolicyReference: { Name: "deploy", Path: "/ci/" },
        }),
      );
      await send(
        c,
        new ssoAdmin.PutPermissionsBoundaryToPermissionSetCommand({
          ...target,
          PermissionsBoundary: { CustomerManagedPolicyReference: { Name: "boundary" } },
        }),
      );
      await send(c, new ssoAdmin.GetPermissionsBoundaryForPermissionSetCommand(target));
      await send(c, new ssoAdmin.DeletePermissionsBoundaryFromPermissionSetCommand(target));
      const resource = { InstanceArn: instanceArn, ResourceArn: target.PermissionSetArn };
      await send(c, new ssoAdmin.TagResourceCommand({ ...resource, Tags: [{ Key: "tier", Value: "1" }] }));
      await send(c, new ssoAdmin.ListTagsForResourceCommand(resource));
      await send(c, new ssoAdmin.UntagResourceCommand({ ...resource, TagKeys: ["owner"] }));
    });
    expect(problems).toEqual([]);
    expect(outcomes.every((outcome) => outcome.includes(" 200"))).toBe(true);

    // A set without an inline policy: "" where the model's member has min length 1, as the model's own
    // note on GetInlinePolicyForPermissionSetResponse.InlinePolicy allows ("it is possible for an empty
    // inline policy to be returned"). The model's constraints flag exactly that, nothing else.
    const empty = await answersOf(() => send(c, new ssoAdmin.GetInlinePolicyForPermissionSetCommand(target)));
    expect(empty.outcomes).toEqual(["GetInlinePolicyForPermissionSet 200"]);
    expect(empty.problems).toEqual([
      "GetInlinePolicyForPermissionSet 200: GetInlinePolicyForPermissionSetResponse/InlinePolicy must NOT have fewer than 1 characters",
      'GetInlinePolicyForPermissionSet 200: GetInlinePolicyForPermissionSetResponse/InlinePolicy must match pattern "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"',
    ]);
    // Unassigned and provisioned nowhere: deleted, and gone when read again.
    const deleted = await answersOf(async () => {
      await send(c, new ssoAdmin.DeletePermissionSetCommand(target));
      await send(c, new ssoAdmin.DescribePermissionSetCommand(target));
    });
    expect(deleted.problems).toEqual([]);
    expect(deleted.outcomes).toEqual([
      "DeletePermissionSet 200",
      "DescribePermissionSet 404 ResourceNotFoundException",
    ]);
  });

  it("refuses bad content with the modelled errors, and reads an absent boundary as the switch says", async () => {
    const instanceArn = ic.instanceArn;
    const c = clients.ssoAdmin;
    const target = { InstanceArn: instanceArn, PermissionSetArn: permissionSetArn };
    const { problems, outcomes } = await answersOf(async () => {
      await send(
        c,
        new ssoAdmin.AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
          ...target,
          CustomerManagedPolicyReference: { Name: "bad name!", Path: "no-slashes" },
        }),
      );
      await send(
        c,
        new ssoAdmin.AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
          ...target,
          CustomerManagedPolicyReference: { Name: "twice" },
        }),
      );
      await send(
        c,
        new ssoAdmin.AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
          ...target,
          CustomerManagedPolicyReference: { Name: "twice", Path: "/" },
        }),
      );
      for (let i = 0; i < 10; i++) {
        await send(
          c,
          new ssoAdmin.AttachManagedPolicyToPermissionSetCommand({
            ...target,
            ManagedPolicyArn: `arn:aws:iam::aws:policy/Quota${i}`,
          }),
        );
      }
      await send(
        c,
        new ssoAdmin.DetachCustomerManagedPolicyReferenceFromPermissionSetCommand({
          ...target,
          CustomerManagedPolicyReference: { Name: "never-attached" },
        }),
      );
      await send(
        c,
        new ssoAdmin.PutPermissionsBoundaryToPermissionSetCommand({ ...target, PermissionsBoundary: {} }),
      );
      await send(c, new ssoAdmin.GetPermissionsBoundaryForPermissionSetCommand(target));
      ic.behaviour.permissionsBoundaryAbsent = "empty";
      await send(c, new ssoAdmin.GetPermissionsBoundaryForPermissionSetCommand(target));
      ic.behaviour.permissionsBoundaryAbsent = "not-found";
      await send(c, new ssoAdmin.DeletePermissionsBoundaryFromPermissionSetCommand(target));
      await send(c, new ssoAdmin.UpdatePermissionSetCommand({ ...target, SessionDuration: "PT13H" }));
      await send(c, new ssoAdmin.UpdatePermissionSetCommand({ ...target, RelayState: "" }));
      await send(
        c,
        new ssoAdmin.TagResourceCommand({
          InstanceArn: instanceArn,
          ResourceArn: "arn:aws:sso:::bogus",
          Tags: [],
        }),
      );
      await send(
        c,
        new ssoAdmin.UntagResourceCommand({
          InstanceArn: instanceArn,
          ResourceArn: permissionSetArn,
          TagKeys: [],
        }),
      );
    });
    // Undo the quota filling so later cases see the set as before.
    for (let i = 0; i < 10; i++) {
      await send(
        c,
        new ssoAdmin.DetachManagedPolicyFromPermissionSetCommand({
          ...target,
          ManagedPolicyArn: `arn:aws:iam::aws:policy/Quota${i}`,
        }),
      );
    }
    await send(
      c,
      new ssoAdmin.DetachCustomerManagedPolicyReferenceFromPermissionSetCommand({
        ...target,
        CustomerManagedPolicyReference: { Name: "twice" },
      }),
    );

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      "AttachCustomerManagedPolicyReferenceToPermissionSet 400 ValidationException",
      "AttachCustomerManagedPolicyReferenceToPermissionSet 200",
      "AttachCustomerManagedPolicyReferenceToPermissionSet 409 ConflictException",
      ...Array.from({ length: 9 }, () => "AttachManagedPolicyToPermissionSet 200"),
      "AttachManagedPolicyToPermissionSet 402 ServiceQuotaExceededException",
      "DetachCustomerManagedPolicyReferenceFromPermissionSet 404 ResourceNotFoundException",
      "PutPermissionsBoundaryToPermissionSet 400 ValidationException",
      "GetPermissionsBoundaryForPermissionSet 404 ResourceNotFoundException",
      "GetPermissionsBoundaryForPermissionSet 200",
      "DeletePermissionsBoundaryFromPermissionSet 404 ResourceNotFoundException",
      "UpdatePermissionSet 400 ValidationException",
      "UpdatePermissionSet 400 ValidationException",
      "TagResource 400 ValidationException",
      "UntagResource 400 ValidationException",
    ]);
  });
});

describe("AWS conformance: identitystore", () => {
  it("answers the reads and writes of the pipeline and the local SCIM model as the model says", async () => {
    const store = ic.identityStoreId;
    const { problems, outcomes } = await answersOf(async () => {
      const c = clients.identityStore;
      const user = await send(
        c,
        new identitystore.CreateUserCommand({
          IdentityStoreId: store,
          UserName: "ben@example.com",
          DisplayName: "Ben",
          Name: { GivenName: "Ben", FamilyName: "Conformance" },
          Emails: [{ Value: "ben@example.com", Type: "work", Primary: true }],
        }),
      );
      const benId = user.output?.UserId as string;
      const group = await send(
        c,
        new identitystore.CreateGroupCommand({ IdentityStoreId: store, DisplayName: "aws-readers" }),
      );
      const readersId = group.output?.GroupId as string;
      const membership = await send(
        c,
        new identitystore.CreateGroupMembershipCommand({
          IdentityStoreId: store,
          GroupId: readersId,
          MemberId: { UserId: benId },
        }),
      );
      await send(
        c,
        new identitystore.GetGroupMembershipIdCommand({
          IdentityStoreId: store,
          GroupId: readersId,
          MemberId: { UserId: benId },
        }),
      );
      await send(
        c,
        new identitystore.GetUserIdCommand({
          IdentityStoreId: store,
          AlternateIdentifier: {
            UniqueAttribute: { AttributePath: "userName", AttributeValue: "ben@example.com" },
          },
        }),
      );
      await send(c, new identitystore.DescribeUserCommand({ IdentityStoreId: store, UserId: benId }));
      await send(c, new identitystore.DescribeGroupCommand({ IdentityStoreId: store, GroupId: readersId }));
      await send(
        c,
        new identitystore.ListUsersCommand({
          IdentityStoreId: store,
          Filters: [{ AttributePath: "UserName", AttributeValue: "ben@example.com" }],
        }),
      );
      await send(c, new identitystore.ListUsersCommand({ IdentityStoreId: store, MaxResults: 1 }));
      await send(c, new identitystore.ListGroupsCommand({ IdentityStoreId: store }));
      await send(
        c,
        new identitystore.ListGroupMembershipsCommand({ IdentityStoreId: store, GroupId: readersId }),
      );
      await send(
        c,
        new identitystore.ListGroupMembershipsForMemberCommand({
          IdentityStoreId: store,
          MemberId: { UserId: benId },
        }),
      );
      await send(
        c,
        new identitystore.DeleteGroupMembershipCommand({
          IdentityStoreId: store,
          MembershipId: membership.output?.MembershipId as string,
        }),
      );
      await send(c, new identitystore.DeleteGroupCommand({ IdentityStoreId: store, GroupId: readersId }));
      await send(c, new identitystore.DeleteUserCommand({ IdentityStoreId: store, UserId: benId }));
    });

    expect(problems).toEqual([]);
    expect(outcomes.every((outcome) => outcome.includes(" 200"))).toBe(true);
  });

  it("names the missing resource, the conflict's reason and when to retry, as the model's error members do", async () => {
    const store = ic.identityStoreId;
    const { problems, outcomes, answers } = await answersOf(async () => {
      const c = clients.identityStore;
      await send(c, new identitystore.DescribeUserCommand({ IdentityStoreId: store, UserId: UNKNOWN_ID }));
      await send(c, new identitystore.DescribeGroupCommand({ IdentityStoreId: store, GroupId: UNKNOWN_ID }));
      await send(
        c,
        new identitystore.GetUserIdCommand({
          IdentityStoreId: store,
          AlternateIdentifier: {
            UniqueAttribute: { AttributePath: "userName", AttributeValue: "nobody@example.com" },
          },
        }),
      );
      await send(
        c,
        new identitystore.CreateGroupMembershipCommand({
          IdentityStoreId: store,
          GroupId: groupId,
          MemberId: { UserId: userId },
        }),
      );
      await send(
        c,
        new identitystore.CreateUserCommand({ IdentityStoreId: store, UserName: "ana@example.com" }),
      );
      await send(c, new identitystore.ListGroupsCommand({ IdentityStoreId: "not a store id" }));
      ic.faults.throttleRate = 1;
      await send(c, new identitystore.ListGroupsCommand({ IdentityStoreId: store }));
      ic.faults.throttleRate = 0;
      ic.faults.serverErrorRate = 1;
      await send(c, new identitystore.ListGroupsCommand({ IdentityStoreId: store }));
      ic.faults.serverErrorRate = 0;
      await send(
        c,
        new identitystore.GetGroupMembershipIdCommand({
          IdentityStoreId: store,
          GroupId: groupId,
          MemberId: { UserId: UNKNOWN_ID },
        }),
      );
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      "DescribeUser 404 ResourceNotFoundException",
      "DescribeGroup 404 ResourceNotFoundException",
      "GetUserId 404 ResourceNotFoundException",
      "CreateGroupMembership 409 ConflictException",
      "CreateUser 409 ConflictException",
      "ListGroups 400 ValidationException",
      "ListGroups 429 ThrottlingException",
      "ListGroups 500 InternalServerException",
      "GetGroupMembershipId 404 ResourceNotFoundException",
    ]);
    const [missingUser, , , duplicateMembership, , , throttled, failed] = answers.map((a) => a.body);
    expect(missingUser).toMatchObject({ ResourceType: "USER", ResourceId: UNKNOWN_ID });
    expect(duplicateMembership).toMatchObject({ Reason: "UNIQUENESS_CONSTRAINT_VIOLATION" });
    expect(throttled).toHaveProperty("RetryAfterSeconds");
    expect(failed).toHaveProperty("RetryAfterSeconds");
  });
});

describe("AWS conformance: organizations", () => {
  it("answers the structure, tag and SCP calls the pipeline, doctor and probe make as the model says", async () => {
    const rootId = org.rootId;
    const { problems, outcomes, answers } = await answersOf(async () => {
      const c = clients.organizations;
      await send(c, new organizations.ListRootsCommand({}));
      // doctor's topology check reads the management account from it (cli/doctor/topology-check.ts)
      await send(c, new organizations.DescribeOrganizationCommand({}));
      const unit = await send(
        c,
        new organizations.CreateOrganizationalUnitCommand({ ParentId: rootId, Name: "Workloads" }),
      );
      const unitId = outputAt(unit, "OrganizationalUnit", "Id");
      await send(c, new organizations.ListOrganizationalUnitsForParentCommand({ ParentId: rootId }));
      await send(c, new organizations.ListAccountsForParentCommand({ ParentId: rootId }));
      await send(c, new organizations.ListTagsForResourceCommand({ ResourceId: rootId }));
      const policy = await send(
        c,
        new organizations.CreatePolicyCommand({
          Name: "conformance-deny",
          Description: "",
          Type: "SERVICE_CONTROL_POLICY",
          Content: SCP,
        }),
      );
      const policyId = outputAt(policy, "Policy", "PolicySummary", "Id");
      await send(c, new organizations.DescribePolicyCommand({ PolicyId: policyId }));
      await send(
        c,
        new organizations.UpdatePolicyCommand({
          PolicyId: policyId,
          Content: SCP.replace("Deny", "Deny ").replace("Deny ", "Deny"),
        }),
      );
      await send(c, new organizations.AttachPolicyCommand({ PolicyId: policyId, TargetId: unitId }));
      // The guardrail SCP's read of where it is attached (adapters/organizations/credentials-guardrail.ts)
      await send(c, new organizations.ListTargetsForPolicyCommand({ PolicyId: policyId }));
      await send(c, new organizations.ListPoliciesCommand({ Filter: "SERVICE_CONTROL_POLICY" }));
      await send(
        c,
        new organizations.ListPoliciesForTargetCommand({
          TargetId: rootId,
          Filter: "SERVICE_CONTROL_POLICY",
        }),
      );
      await send(c, new organizations.DetachPolicyCommand({ PolicyId: policyId, TargetId: unitId }));
      await send(c, new organizations.DeletePolicyCommand({ PolicyId: policyId }));
      await send(c, new organizations.DeleteOrganizationalUnitCommand({ OrganizationalUnitId: unitId }));
    });

    expect(problems).toEqual([]);
    expect(outcomes.filter((outcome) => !outcome.includes(" 200"))).toEqual([]);
    expect(answers.length).toBe(16);
  });

  it("answers unknown resources, duplicates, limits, bad tokens, throttling and faults with the modelled errors", async () => {
    const rootId = org.rootId;
    const { problems, outcomes } = await answersOf(async () => {
      const c = clients.organizations;
      await send(c, new organizations.DescribePolicyCommand({ PolicyId: "p-00000000" }));
      await send(c, new organizations.ListTargetsForPolicyCommand({ PolicyId: "p-00000000" }));
      await send(c, new organizations.ListAccountsForParentCommand({ ParentId: "ou-zzzz-00000000" }));
      await send(
        c,
        new organizations.ListAccountsForParentCommand({ ParentId: rootId, NextToken: "forged" }),
      );
      const policy = await send(
        c,
        new organizations.CreatePolicyCommand({
          Name: "conformance-limits",
          Description: "",
          Type: "SERVICE_CONTROL_POLICY",
          Content: SCP,
        }),
      );
      const policyId = outputAt(policy, "Policy", "PolicySummary", "Id");
      await send(
        c,
        new organizations.CreatePolicyCommand({
          Name: "conformance-limits",
          Description: "",
          Type: "SERVICE_CONTROL_POLICY",
          Content: SCP,
        }),
      );
      await send(
        c,
        new organizations.UpdatePolicyCommand({ PolicyId: policyId, Content: " ".repeat(6000) + SCP }),
      );
      await send(c, new organizations.UpdatePolicyCommand({ PolicyId: policyId, Content: "{ not json" }));
      await send(c, new organizations.AttachPolicyCommand({ PolicyId: policyId, TargetId: rootId }));
      await send(c, new organizations.AttachPolicyCommand({ PolicyId: policyId, TargetId: rootId }));
      await send(c, new organizations.DeletePolicyCommand({ PolicyId: policyId }));
      await send(c, new organizations.DetachPolicyCommand({ PolicyId: policyId, TargetId: rootId }));
      org.faults.throttleNext = 1;
      await send(c, new organizations.ListRootsCommand({}));
      org.faults.serviceErrorRate = 1;
      await send(c, new organizations.ListRootsCommand({}));
      org.faults.serviceErrorRate = 0;
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      "DescribePolicy 404 PolicyNotFoundException",
      "ListTargetsForPolicy 404 PolicyNotFoundException",
      "ListAccountsForParent 404 ParentNotFoundException",
      "ListAccountsForParent 400 InvalidInputException",
      "CreatePolicy 200",
      "CreatePolicy 409 DuplicatePolicyException",
      "UpdatePolicy 409 ConstraintViolationException",
      "UpdatePolicy 400 MalformedPolicyDocumentException",
      "AttachPolicy 200",
      "AttachPolicy 409 DuplicatePolicyAttachmentException",
      "DeletePolicy 409 PolicyInUseException",
      "DetachPolicy 200",
      "ListRoots 429 TooManyRequestsException",
      "ListRoots 500 ServiceException",
    ]);
  });

  it("creates an account asynchronously: IN_PROGRESS first, SUCCEEDED later", async () => {
    const { problems, answers } = await answersOf(async () => {
      const c = clients.organizations;
      const started = await send(
        c,
        new organizations.CreateAccountCommand({ Email: "new@example.com", AccountName: "new" }),
      );
      await createdAccount(c, outputAt(started, "CreateAccountStatus", "Id"));
      await send(
        c,
        new organizations.DescribeCreateAccountStatusCommand({
          CreateAccountRequestId: "car-00000000000000000000000000000000",
        }),
      );
    });

    expect(problems).toEqual([]);
    const states = answers.map(
      (a) => (a.body as { CreateAccountStatus?: { State?: string } }).CreateAccountStatus?.State,
    );
    expect(states[0]).toBe("IN_PROGRESS");
    expect(states.at(-2)).toBe("SUCCEEDED");
    expect(answers.at(-1)?.errorCode).toBe("CreateAccountStatusNotFoundException");
  });
});

describe("AWS conformance: Step Functions", () => {
  it("starts, describes and lists executions, and refuses bad names, bad input, unknown machines and reused names", async () => {
    const { problems, outcomes } = await answersOf(async () => {
      const c = clients.sfn;
      await send(
        c,
        new sfn.StartExecutionCommand({ stateMachineArn: MACHINE, name: "run-1", input: '{"a":1}' }),
      );
      await send(
        c,
        new sfn.StartExecutionCommand({ stateMachineArn: MACHINE, name: "run-1", input: '{"a":1}' }),
      );
      await send(
        c,
        new sfn.StartExecutionCommand({ stateMachineArn: MACHINE, name: "run-1", input: '{"a":2}' }),
      );
      await send(c, new sfn.StartExecutionCommand({ stateMachineArn: MACHINE, name: "run 2" }));
      await send(
        c,
        new sfn.StartExecutionCommand({ stateMachineArn: MACHINE, name: "run-3", input: "{not json" }),
      );
      await send(c, new sfn.StartExecutionCommand({ stateMachineArn: `${MACHINE}-gone`, name: "run-4" }));
      await send(
        c,
        new sfn.DescribeExecutionCommand({
          executionArn: `${MACHINE.replace(":stateMachine:", ":execution:")}:run-1`,
        }),
      );
      await send(
        c,
        new sfn.DescribeExecutionCommand({
          executionArn: `${MACHINE.replace(":stateMachine:", ":execution:")}:nope`,
        }),
      );
      await send(c, new sfn.ListExecutionsCommand({ stateMachineArn: MACHINE }));
      await send(c, new sfn.ListStateMachinesCommand({}));
      await send(
        c,
        new sfn.GetExecutionHistoryCommand({ executionArn: `${EXECUTIONS}:run-1`, maxResults: 1 }),
      );
      await send(c, new sfn.GetExecutionHistoryCommand({ executionArn: `${EXECUTIONS}:nope` }));
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      "StartExecution 200",
      "StartExecution 200",
      "StartExecution 400 ExecutionAlreadyExists",
      "StartExecution 400 InvalidName",
      "StartExecution 400 InvalidExecutionInput",
      "StartExecution 400 StateMachineDoesNotExist",
      "DescribeExecution 200",
      "DescribeExecution 400 ExecutionDoesNotExist",
      "ListExecutions 200",
      "ListStateMachines 200",
      "GetExecutionHistory 200",
      "GetExecutionHistory 400 ExecutionDoesNotExist",
    ]);
  });
});

describe("AWS conformance: EventBridge", () => {
  it("puts events, reports per-entry failures, and refuses a request over 256 KB", async () => {
    const entry = {
      EventBusName: BUS,
      Source: "okta-aws-lifecycle",
      DetailType: "lifecycle",
      Detail: '{"a":1}',
    };
    const { problems, outcomes, answers } = await answersOf(async () => {
      const c = clients.events;
      await send(
        c,
        new eventbridge.PutEventsCommand({ Entries: [entry, { ...entry, EventBusName: "other-bus" }] }),
      );
      const big = { ...entry, Detail: JSON.stringify({ pad: "x".repeat(90 * 1024) }) };
      await send(c, new eventbridge.PutEventsCommand({ Entries: [big, big, big] }));
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual(["PutEvents 200", "PutEvents 400 ValidationException"]);
    expect(answers[0]?.body).toMatchObject({ FailedEntryCount: 1 });
  });
});

describe("AWS conformance: sso-admin attributes for access control", () => {
  it("enables, reads, replaces and disables ABAC attributes, and refuses what the model refuses", async () => {
    const c = clients.ssoAdmin;
    const InstanceArn = ic.instanceArn;
    const config = (...keys: string[]) => ({
      InstanceArn,
      InstanceAccessControlAttributeConfiguration: {
        AccessControlAttributes: keys.map((Key) => ({
          Key,
          Value: { Source: [`\${path:enterprise.${Key}}`] },
        })),
      },
    });
    const describeIt = () =>
      send(c, new ssoAdmin.DescribeInstanceAccessControlAttributeConfigurationCommand({ InstanceArn }));
    let described: unknown;
    const { problems, outcomes } = await answersOf(async () => {
      await describeIt();
      ic.behaviour.accessControlAttributesAbsent = "empty";
      await describeIt();
      ic.behaviour.accessControlAttributesAbsent = "not-found";
      await send(c, new ssoAdmin.UpdateInstanceAccessControlAttributeConfigurationCommand(config("team")));
      await send(c, new ssoAdmin.CreateInstanceAccessControlAttributeConfigurationCommand(config("team")));
      await send(c, new ssoAdmin.CreateInstanceAccessControlAttributeConfigurationCommand(config("team")));
      await send(
        c,
        new ssoAdmin.UpdateInstanceAccessControlAttributeConfigurationCommand(config("team", "costCenter")),
      );
      described = await describeIt();
      await send(
        c,
        new ssoAdmin.UpdateInstanceAccessControlAttributeConfigurationCommand({
          InstanceArn,
          InstanceAccessControlAttributeConfiguration: {
            AccessControlAttributes: [{ Key: "bad key!", Value: { Source: ["a", "b"] } }],
          },
        }),
      );
      await send(c, new ssoAdmin.DeleteInstanceAccessControlAttributeConfigurationCommand({ InstanceArn }));
      await send(c, new ssoAdmin.DeleteInstanceAccessControlAttributeConfigurationCommand({ InstanceArn }));
    });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      "DescribeInstanceAccessControlAttributeConfiguration 404 ResourceNotFoundException",
      "DescribeInstanceAccessControlAttributeConfiguration 200",
      "UpdateInstanceAccessControlAttributeConfiguration 404 ResourceNotFoundException",
      "CreateInstanceAccessControlAttributeConfiguration 200",
      "CreateInstanceAccessControlAttributeConfiguration 409 ConflictException",
      "UpdateInstanceAccessControlAttributeConfiguration 200",
      "DescribeInstanceAccessControlAttributeConfiguration 200",
      "UpdateInstanceAccessControlAttributeConfiguration 400 ValidationException",
      "DeleteInstanceAccessControlAttributeConfiguration 200",
      "DeleteInstanceAccessControlAttributeConfiguration 404 ResourceNotFoundException",
    ]);
    expect(described).toEqual({
      output: expect.objectContaining({
        Status: "ENABLED",
        InstanceAccessControlAttributeConfiguration: config("team", "costCenter")
          .InstanceAccessControlAttributeConfiguration,
      }),
    });
  });
});

describe("AWS conformance: coverage", () => {
  it("called every operation the adapters, workflows, CLI and local stack use", () => {
    // IAM and STS (AWS Query) have their own part: aws-conformance-iam-sts.test.ts, with its coverage test.
    const used = new Set(
      [...operationsImported().keys(), ...operationsOfWorkflows()].filter((op) => !/^(iam|sts):/.test(op)),
    );
    const called = log.operationsCalled();
    const missing = [...used].filter((operation) => !called.has(operation));

    // A product call listed here needs its valid and invalid calls in this suite (and the emulator must serve it).
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(30);
  });
});
