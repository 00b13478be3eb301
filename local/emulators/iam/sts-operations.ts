/**
 * STS (STS API Reference): GetCallerIdentity and AssumeRole. AssumeRole answers AccessDenied ("User:
 * <caller> is not authorized to perform: sts:AssumeRole on resource: <role>", 403) alike for a role
 * that does not exist and for one whose trust policy does not admit the caller, so a caller cannot
 * probe for role names. Durations: 900 s to the role's MaxSessionDuration, default 3,600 (AssumeRole,
 * DurationSeconds); a role-chained session (the caller is itself an assumed role) is limited to one
 * hour ("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role
 * chaining", IAM User Guide, "Role chaining"). A source identity, once set, stays with every chained
 * session and cannot be changed (IAM User Guide, "Monitor and control actions taken with assumed
 * roles"). The issued access key id is remembered: requests signed with it act in the role's account.
 */
import type { AwsQueryOperation } from "../aws-query-protocol.ts";
import type { IamContext } from "./context.ts";
import { accessDenied, validationError } from "./errors.ts";
import { QueryFields, RULES } from "./fields.ts";
import { roleArn } from "./shapes.ts";
import { trustAdmits } from "./trust-policy.ts";

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]+)$/;
export const DEFAULT_SESSION_SECONDS = 3_600;
export const CHAINED_SESSION_MAX_SECONDS = 3_600;

export function stsOperations(ctx: IamContext): Record<string, AwsQueryOperation> {
  return {
    GetCallerIdentity(_input, request) {
      const caller = ctx.caller(request, "sts");
      return { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn };
    },
    async AssumeRole(input, request) {
      const fields = new QueryFields(input);
      const requestedArn = fields.string("RoleArn", RULES.arn);
      const sessionName = fields.string("RoleSessionName", RULES.roleSessionName);
      const duration = fields.optionalInteger("DurationSeconds", 900, 43_200) ?? DEFAULT_SESSION_SECONDS;
      const externalId = fields.optionalString("ExternalId", RULES.externalId);
      const requestedSource = fields.optionalString("SourceIdentity", RULES.sourceIdentity);
      fields.done();
      const caller = ctx.caller(request, "sts");
      const denied = () =>
        accessDenied(
          `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${requestedArn}`,
        );
      const inherited = caller.session?.sourceIdentity;
      if (inherited !== undefined && requestedSource !== undefined && requestedSource !== inherited)
        throw denied();
      const match = ROLE_ARN.exec(requestedArn);
      if (match === null) throw validationError(`${requestedArn} is invalid`);
      const [, accountId = "", name = ""] = match;
      const account = ctx.state.account(accountId);
      const role = account.role(name);
      if (role === undefined || roleArn(accountId, role) !== requestedArn) throw denied();
      const admitted = await trustAdmits({
        trustPolicy: role.trustPolicy,
        roleArn: requestedArn,
        roleAccountId: accountId,
        callerArn: caller.arn,
        principalArn: caller.principalArn,
        sessionName,
        externalId,
        sourceIdentity: requestedSource,
      });
      if (!admitted) throw denied();
      if (caller.kind === "assumed-role" && duration > CHAINED_SESSION_MAX_SECONDS) {
        throw validationError(
          "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
        );
      }
      if (duration > role.maxSessionDuration)
        throw validationError(
          "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        );
      const sourceIdentity = requestedSource ?? inherited;
      const session = {
        accessKeyId: ctx.ids.sessionAccessKeyId(),
        secretAccessKey: ctx.ids.secretAccessKey(),
        sessionToken: ctx.ids.sessionToken(),
        accountId,
        roleName: role.name,
        roleId: role.id,
        sessionName,
        expiresAt: new Date(ctx.now() + duration * 1000),
        sourceIdentity,
      };
      ctx.state.sessions.set(session.accessKeyId, session);
      return {
        Credentials: {
          AccessKeyId: session.accessKeyId,
          SecretAccessKey: session.secretAccessKey,
          SessionToken: session.sessionToken,
          Expiration: session.expiresAt,
        },
        AssumedRoleUser: {
          AssumedRoleId: `${role.id}:${sessionName}`,
          Arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`,
        },
        SourceIdentity: sourceIdentity,
      };
    },
  };
}
