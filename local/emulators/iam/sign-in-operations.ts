/**
 * A user's console sign-in: its login profile (IAM API Reference: CreateLoginProfile,
 * GetLoginProfile, DeleteLoginProfile; one per user, EntityAlreadyExists for a second) and its MFA
 * devices (ListMFADevices; DeactivateMFADevice, which "deactivates the specified MFA device and removes
 * it from association with the user name for which it was originally enabled"). Passwords are not
 * stored: only that one exists. The account password policy is not modelled (no
 * PasswordPolicyViolation).
 */
import type { AwsQueryOperation } from "../aws-query-protocol.ts";
import type { IamContext } from "./context.ts";
import { entityAlreadyExists, noSuchEntity } from "./errors.ts";
import { QueryFields, RULES } from "./fields.ts";
import { targetUser } from "./lookups.ts";
import { paginate } from "./pagination.ts";
import type { UserRecord } from "./state.ts";

const loginProfileShape = (user: UserRecord) => {
  const profile = user.loginProfile;
  if (profile === undefined) throw noSuchEntity(`Login Profile for User ${user.name} cannot be found.`);
  return {
    UserName: user.name,
    CreateDate: profile.createdAt,
    PasswordResetRequired: profile.passwordResetRequired,
  };
};

export function signInOperations(ctx: IamContext): Record<string, AwsQueryOperation> {
  const scope = (request: Parameters<AwsQueryOperation>[1]) => {
    const caller = ctx.caller(request, "iam");
    return { caller, account: ctx.state.account(caller.accountId) };
  };
  return {
    CreateLoginProfile(input, request) {
      const fields = new QueryFields(input);
      fields.string("Password", RULES.password);
      const passwordResetRequired = fields.optionalBoolean("PasswordResetRequired") ?? false;
      const { caller, account } = scope(request);
      const user = targetUser(fields, caller, account);
      if (user.loginProfile) throw entityAlreadyExists(`Login Profile for user ${user.name} already exists.`);
      user.loginProfile = { createdAt: new Date(ctx.now()), passwordResetRequired };
      return { LoginProfile: loginProfileShape(user) };
    },
    GetLoginProfile(input, request) {
      const { caller, account } = scope(request);
      return { LoginProfile: loginProfileShape(targetUser(new QueryFields(input), caller, account)) };
    },
    DeleteLoginProfile(input, request) {
      const { caller, account } = scope(request);
      const user = targetUser(new QueryFields(input), caller, account);
      loginProfileShape(user);
      user.loginProfile = undefined;
      return undefined;
    },
    ListMFADevices(input, request) {
      const fields = new QueryFields(input);
      const { caller, account } = scope(request);
      const user = targetUser(fields, caller, account);
      const page = paginate(fields, user.mfaDevices);
      return {
        MFADevices: page.items.map((d) => ({
          UserName: user.name,
          SerialNumber: d.serialNumber,
          EnableDate: d.enabledAt,
        })),
        IsTruncated: page.IsTruncated,
        Marker: page.Marker,
      };
    },
    DeactivateMFADevice(input, request) {
      const fields = new QueryFields(input);
      const serialNumber = fields.string("SerialNumber", RULES.serialNumber);
      const { caller, account } = scope(request);
      const user = targetUser(fields, caller, account);
      if (!user.mfaDevices.some((d) => d.serialNumber === serialNumber))
        throw noSuchEntity(`MFA Device with serial number ${serialNumber} does not exist.`);
      user.mfaDevices = user.mfaDevices.filter((d) => d.serialNumber !== serialNumber);
      return undefined;
    },
  };
}
