/**
 * The two AWS JSON 1.1 services of the emulator: sso-admin (`SWBExternalService`) and identitystore
 * (`AWSIdentityStore`), each gated by its own rate limit and the shared fault injection.
 */
import type { AwsJsonService, AwsOperation } from "../aws-json-protocol.ts";
import { accessControlAttributeOperations } from "./access-control-attribute-operations.ts";
import { accountAssignmentOperations } from "./account-assignment-operations.ts";
import { epochSeconds, type OperationContext } from "./context.ts";
import { IDENTITY_CENTER_ERROR_STATUSES } from "./errors.ts";
import { identityStoreOperations } from "./identitystore-operations.ts";
import { paginate, readPageRequest } from "./pagination.ts";
import { permissionSetContentOperations } from "./permission-set-content-operations.ts";
import { permissionSetOperations } from "./permission-set-operations.ts";
import { RequestFields } from "./request-fields.ts";
import type { RequestGate } from "./request-gate.ts";

/** X-Amz-Target prefixes of the two services (from the SDK clients). */
export const SSO_ADMIN_TARGET = "SWBExternalService";
export const IDENTITY_STORE_TARGET = "AWSIdentityStore";

function instanceOperations(ctx: OperationContext): Record<string, AwsOperation> {
  return {
    ListInstances(input) {
      const fields = new RequestFields(input);
      const pageRequest = readPageRequest(fields);
      fields.done();
      const { state } = ctx;
      const instance = {
        InstanceArn: state.instanceArn,
        IdentityStoreId: state.identityStoreId,
        OwnerAccountId: state.ownerAccountId,
        Name: "local",
        CreatedDate: epochSeconds(state.createdAt),
        Status: "ACTIVE",
      };
      const page = paginate([instance], pageRequest, "ListInstances", ctx.limits);
      return { Instances: page.items, NextToken: page.nextToken };
    },
  };
}

export function createServices(ctx: OperationContext, gate: RequestGate): AwsJsonService[] {
  return [
    {
      targetPrefix: SSO_ADMIN_TARGET,
      operations: {
        ...instanceOperations(ctx),
        ...permissionSetOperations(ctx),
        ...permissionSetContentOperations(ctx),
        ...accountAssignmentOperations(ctx),
        ...accessControlAttributeOperations(ctx),
      },
      beforeOperation: (operation) => gate.admit("ssoAdmin", operation),
      errorStatuses: IDENTITY_CENTER_ERROR_STATUSES,
    },
    {
      targetPrefix: IDENTITY_STORE_TARGET,
      operations: identityStoreOperations(ctx),
      beforeOperation: (operation) => gate.admit("identityStore", operation),
      errorStatuses: IDENTITY_CENTER_ERROR_STATUSES,
      // Every identitystore error shape has a RequestId member (model).
      requestIdInErrors: true,
    },
  ];
}
