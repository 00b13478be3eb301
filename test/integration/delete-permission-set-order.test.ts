/**
 * The order a permission set's deletion needs, against the Identity Center emulator through the real
 * SDK client (the emulator's DeletePermissionSet cites its sources): while the set has an account
 * assignment, DeletePermissionSet is a ConflictException and the set stays; once the assignment's
 * deletion has SUCCEEDED the set is no longer provisioned anywhere and deletes, and reads back as gone.
 */
import {
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { afterEach, describe, expect, it } from "vitest";
import { PermissionSetContentAdapter } from "../../adapters/identity-center/permission-set-content.ts";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import { createIdentityCenterEmulator } from "../../local/emulators/identity-center/index.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const ACCOUNT = "222222222222";

describe("DeletePermissionSet needs the set's assignments deleted first", () => {
  it("refuses while an assignment exists, deletes once the assignment's deletion has succeeded", async () => {
    // Prepare
    const ic = createIdentityCenterEmulator({
      limits: { latencyMs: 5, ssoAdminTps: 0, identityStoreTps: 0 },
    });
    const server = await startAwsJsonServer(ic.services);
    const ssoAdmin = new SSOAdminClient(localClientConfig(server.endpoint));
    cleanups.push(async () => {
      ssoAdmin.destroy();
      await server.close();
    });
    const content = new PermissionSetContentAdapter({ ssoAdmin, instanceArn: ic.instanceArn });
    const arn = await content.create({
      name: "Retired",
      sessionDuration: "PT1H",
      tags: { "okta-aws-lifecycle:managed": "true" },
    });
    const group = ic.seed.group({ displayName: "retired-team" });
    const assignment = {
      InstanceArn: ic.instanceArn,
      TargetId: ACCOUNT,
      TargetType: "AWS_ACCOUNT" as const,
      PermissionSetArn: arn,
      PrincipalType: "GROUP" as const,
      PrincipalId: group,
    };
    ic.seed.assignment({
      accountId: ACCOUNT,
      permissionSetArn: arn,
      principalType: "GROUP",
      principalId: group,
    });

    // Act
    const refused = await content.delete(arn).then(
      () => "deleted",
      (error: Error) => error.name,
    );
    const deletion = await ssoAdmin.send(new DeleteAccountAssignmentCommand(assignment));
    let status = deletion.AccountAssignmentDeletionStatus?.Status;
    while (status === "IN_PROGRESS") {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const polled = await ssoAdmin.send(
        new DescribeAccountAssignmentDeletionStatusCommand({
          InstanceArn: ic.instanceArn,
          AccountAssignmentDeletionRequestId: deletion.AccountAssignmentDeletionStatus?.RequestId,
        }),
      );
      status = polled.AccountAssignmentDeletionStatus?.Status;
    }
    const provisionedAfterAssignment = ic.snapshot().provisioned.filter((p) => p.permissionSetArn === arn);
    await content.delete(arn);

    // Assess
    expect(refused).toBe("ConflictException");
    expect(status).toBe("SUCCEEDED");
    expect(provisionedAfterAssignment).toEqual([]);
    await expect(content.read(arn)).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });
});
