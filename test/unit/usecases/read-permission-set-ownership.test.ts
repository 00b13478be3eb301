import { describe, expect, it } from "vitest";
import { PERMISSION_SET_OWNERSHIP_TAG } from "../../../core/plan/permission-set-ownership-tag.ts";
import { readPermissionSetOwnership } from "../../../usecases/reconcile-estate/read-permission-set-ownership.ts";
import { arn, estate } from "../../support/estate-builder.ts";

const OWNED = { [PERMISSION_SET_OWNERSHIP_TAG.key]: PERMISSION_SET_OWNERSHIP_TAG.value };
const set = (id: string, name: string) => ({ arn: arn(id), name, sessionDuration: "PT1H" });

class AccessDeniedException extends Error {
  override name = "AccessDeniedException";
}
class ThrottlingException extends Error {
  override name = "ThrottlingException";
}

describe("readPermissionSetOwnership", () => {
  it("records a set whose tags were refused, reads the others, and the provisioning of a dropped owned set", async () => {
    // Prepare: 'Refused' cannot be read; 'Retired' is owned and not declared
    const ports = {
      listPermissionSetTags: async (permissionSetArn: string) => {
        if (permissionSetArn === arn("refused")) throw new AccessDeniedException("not authorized");
        return permissionSetArn === arn("retired") ? OWNED : {};
      },
      listAccountsProvisionedWith: async () => [{ accountId: "111111111111", outdated: false }],
    };

    // Act
    const read = await readPermissionSetOwnership(ports, estate().policy, [
      set("refused", "Refused"),
      set("retired", "Retired"),
    ]);

    // Assess
    expect(read.unreadTags).toEqual({ [arn("refused")]: "AccessDeniedException: not authorized" });
    expect(read.tags).toEqual({ [arn("retired")]: OWNED });
    expect(read.provisionedAccounts).toEqual({ [arn("retired")]: 1 });
  });

  it("throws a throttled read for the caller to retry instead of judging without it", async () => {
    // Prepare
    const ports = {
      listPermissionSetTags: async () => {
        throw new ThrottlingException("Rate exceeded");
      },
      listAccountsProvisionedWith: async () => [],
    };

    // Act
    const reading = readPermissionSetOwnership(ports, estate().policy, [set("busy", "Busy")]);

    // Assess
    await expect(reading).rejects.toThrow("Rate exceeded");
  });
});
