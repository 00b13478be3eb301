/**
 * Credentials in member and outside accounts: `sts:AssumeRole` into `arn:aws:iam::<account>:role/<name>`
 * with the account's external id when it has one, the session named after the run. Each session is
 * kept per (account, role, external id, session name) until five minutes before it expires, so one run
 * assumes each role once however many calls it makes, and a warm function never signs a later run's
 * calls with a session named after an earlier run. Concurrent asks for one session share one AssumeRole.
 */
import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import { memberRoleArn } from "./member-role-arn.ts";
import { assumeRole } from "./response-schemas.ts";
import { memberSessionName } from "./session-name.ts";
import { parseIamResponse } from "./unexpected-response-error.ts";

/** AssumeRole failed: the cause is STS's error (AccessDenied for a missing role or a refused trust). */
export class AssumeMemberRoleError extends Error {
  override name = "AssumeMemberRoleError";
  readonly roleArn: string;
  constructor(roleArn: string, options: { cause: unknown }) {
    const cause = options.cause as { name?: string; message?: string };
    super(
      `cannot assume ${roleArn}: ${cause.name ?? "Error"}: ${cause.message ?? String(options.cause)}`,
      options,
    );
    this.roleArn = roleArn;
  }
}

/** Temporary credentials AssumeRole issued, as the SDK clients take them. */
export interface MemberSessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface MemberRoleRequest {
  accountId: string;
  roleName: string;
  externalId?: string | undefined;
  runId: string;
}

export interface MemberAccountSessionsOptions {
  /** STS, signed as the tool's own task role. */
  sts: STSClient;
  /**
   * Session length. The tool's Lambda credentials are themselves a role session, so this is role
   * chaining, limited to one hour (IAM User Guide, "Role chaining").
   * @default 3600
   */
  durationSeconds?: number;
  /** @default 300_000 (a session is renewed five minutes before it expires) */
  renewBeforeMs?: number;
  /** @default Date.now */
  now?: () => number;
}

export class MemberAccountSessions {
  private readonly sessions = new Map<string, Promise<MemberSessionCredentials>>();
  private readonly sts: STSClient;
  private readonly durationSeconds: number;
  private readonly renewBeforeMs: number;
  private readonly now: () => number;

  constructor(options: MemberAccountSessionsOptions) {
    this.sts = options.sts;
    this.durationSeconds = options.durationSeconds ?? 3_600;
    this.renewBeforeMs = options.renewBeforeMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  /** The session's credentials; throws {@link AssumeMemberRoleError} when STS refuses or cannot be reached. */
  async credentials(request: MemberRoleRequest): Promise<MemberSessionCredentials> {
    const sessionName = memberSessionName(request.runId);
    const key = [request.accountId, request.roleName, request.externalId ?? "", sessionName].join("\n");
    const cached = this.sessions.get(key);
    if (cached !== undefined) {
      const credentials = await cached.catch(() => undefined);
      const expires = credentials?.expiration.getTime() ?? 0;
      if (credentials !== undefined && expires - this.renewBeforeMs > this.now()) return credentials;
      if (this.sessions.get(key) === cached) this.sessions.delete(key);
    }
    const fresh = this.assume(request, sessionName);
    this.sessions.set(key, fresh);
    fresh.catch(() => {
      if (this.sessions.get(key) === fresh) this.sessions.delete(key);
    });
    return fresh;
  }

  private async assume(request: MemberRoleRequest, sessionName: string): Promise<MemberSessionCredentials> {
    const roleArn = memberRoleArn(request.accountId, request.roleName);
    let output: unknown;
    try {
      output = await this.sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: sessionName,
          DurationSeconds: this.durationSeconds,
          ...(request.externalId === undefined ? {} : { ExternalId: request.externalId }),
        }),
      );
    } catch (cause) {
      throw new AssumeMemberRoleError(roleArn, { cause });
    }
    const { Credentials } = parseIamResponse("AssumeRole", assumeRole, output);
    return {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
      expiration: Credentials.Expiration,
    };
  }
}
