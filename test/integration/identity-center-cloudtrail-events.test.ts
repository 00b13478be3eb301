/**
 * The CloudTrail events the Identity Center emulator produces for sso-admin changes made through the
 * real `@aws-sdk/client-sso-admin`: the shape of the CloudTrail-shaped samples in test/fixtures/aws/,
 * the caller as the stack names it, failed calls with their error code, and matched by the deployed
 * Identity Center triggers exactly as the samples are (unless the caller is the tool).
 */
import { readFileSync } from "node:fs";
import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  ListPermissionSetsCommand,
  SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import {
  createIdentityCenterEmulator,
  type SsoCloudTrailEvent,
} from "../../local/emulators/identity-center/index.ts";
import { compileEventPattern } from "../../local/runtime/event-pattern.ts";
import { estateEventTriggers } from "../../workflows/estate-triggers.ts";

const fixture = (name: string): { detail: Record<string, unknown> } =>
  JSON.parse(readFileSync(new URL(`../fixtures/aws/${name}.eventbridge.json`, import.meta.url), "utf8"));
const TOOL_PATH = "/okta-aws-lifecycle/local/";
// The stack's default bus, where the emulator's account delivers (the -fwd rules are the lifecycle bus's).
const triggers = estateEventTriggers(undefined, { toolRolePath: TOOL_PATH })
  .filter((t) => t.bus === "default")
  .map((t) => ({
    key: t.key,
    matches: compileEventPattern(t.pattern),
  }));
const triggered = (event: unknown) => triggers.filter((t) => t.matches(event)).map((t) => t.key);
const keysOf = (value: unknown) => Object.keys(value as object).sort();

describe("Identity Center emulator CloudTrail events", () => {
  const events: SsoCloudTrailEvent[] = [];
  const ic = createIdentityCenterEmulator({
    ownerAccountId: "123456789012",
    cloudTrail: {
      accountId: "123456789012",
      region: "eu-west-1",
      callerIdentity: (key) =>
        key === "tool"
          ? {
              type: "AssumedRole",
              sessionContext: { sessionIssuer: { arn: `arn:aws:iam::123456789012:role${TOOL_PATH}Tasks` } },
            }
          : { type: "IAMUser", arn: `arn:aws:iam::123456789012:user/${key}`, userName: key },
      listener: (event) => events.push(event),
    },
  });
  const setArn = ic.seed.permissionSet({ name: "ReadOnly" });
  const groupId = ic.seed.group({ displayName: "aws-readonly" });
  let close: () => Promise<void>;
  let person: SSOAdminClient;
  let tool: SSOAdminClient;

  beforeAll(async () => {
    const server = await startAwsJsonServer(ic.services);
    close = server.close;
    const as = (key: string) =>
      new SSOAdminClient({
        ...localClientConfig(server.endpoint),
        credentials: { accessKeyId: key, secretAccessKey: key },
      });
    person = as("alice");
    tool = as("tool");
  });
  afterAll(async () => {
    person.destroy();
    tool.destroy();
    await close();
  });

  const assignment = {
    InstanceArn: ic.instanceArn,
    TargetId: "210987654321",
    TargetType: "AWS_ACCOUNT" as const,
    PermissionSetArn: "",
    PrincipalType: "GROUP" as const,
    PrincipalId: "",
  };

  it("records a person's assignment as the sample shows it, and the trigger for its pair matches it", async () => {
    // Act
    events.length = 0;
    await person.send(
      new CreateAccountAssignmentCommand({ ...assignment, PermissionSetArn: setArn, PrincipalId: groupId }),
    );

    // Assess
    expect(events).toHaveLength(1);
    const [event] = events;
    const sample = fixture("sso-create-account-assignment");
    expect(keysOf(event?.detail.requestParameters)).toEqual(keysOf(sample.detail.requestParameters));
    expect(keysOf(event?.detail.responseElements)).toEqual(keysOf(sample.detail.responseElements));
    expect(event?.detail).toMatchObject({
      eventSource: "sso.amazonaws.com",
      eventName: "CreateAccountAssignment",
      awsRegion: "eu-west-1",
      requestParameters: { targetId: "210987654321", permissionSetArn: setArn, principalId: groupId },
      userIdentity: { type: "IAMUser", userName: "alice" },
    });
    expect(event?.source).toBe("aws.sso");
    expect(triggered(event)).toEqual(["sso-assign"]);
  });

  it("records the tool's calls too, which no trigger matches, and reads not at all", async () => {
    // Act
    events.length = 0;
    await tool.send(new ListPermissionSetsCommand({ InstanceArn: ic.instanceArn }));
    const created = await tool.send(
      new CreatePermissionSetCommand({ InstanceArn: ic.instanceArn, Name: "Tooling" }),
    );

    // Assess
    expect(events.map((e) => e.detail.eventName)).toEqual(["CreatePermissionSet"]);
    expect(events[0]?.detail.responseElements).toMatchObject({
      permissionSet: { permissionSetArn: created.PermissionSet?.PermissionSetArn },
    });
    expect(triggered(events[0])).toEqual([]);
  });

  it("records a failed call with its error code, which no trigger matches", async () => {
    // Act
    events.length = 0;
    await expect(
      person.send(
        new CreateAccountAssignmentCommand({
          ...assignment,
          PermissionSetArn: `${setArn}x`,
          PrincipalId: groupId,
        }),
      ),
    ).rejects.toThrow();

    // Assess
    expect(events).toHaveLength(1);
    expect(typeof events[0]?.detail.errorCode).toBe("string");
    expect(events[0]?.detail.responseElements).toBeNull();
    expect(triggered(events[0])).toEqual([]);
  });
});
