/**
 * The CloudTrail events the Organizations emulator produces for calls made through the real
 * `@aws-sdk/client-organizations`: the same shape as the documented events in test/fixtures/aws/, and
 * matched by the deployed estate triggers exactly as those are.
 */
import { readFileSync } from "node:fs";
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  ListAccountsCommand,
  MoveAccountCommand,
  OrganizationsClient,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import {
  type CloudTrailEvent,
  createOrganizationsEmulator,
} from "../../local/emulators/organizations/index.ts";
import { compileEventPattern } from "../../local/runtime/event-pattern.ts";
import { estateEventTriggers } from "../../workflows/estate-triggers.ts";
import { createdAccount } from "../support/created-account.ts";

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/aws/${name}.eventbridge.json`, import.meta.url), "utf8"));

/** The structure of a JSON value: every key with the type of its value (array elements by their first). */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "userIdentity") // who called differs from sample to sample
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, member]) => [key, shapeOf(member)]),
    );
  return value === null ? null : typeof value;
}

const triggers = estateEventTriggers().map((t) => ({ key: t.key, matches: compileEventPattern(t.pattern) }));
const triggered = (event: unknown) => triggers.filter((t) => t.matches(event)).map((t) => t.key);

describe("Organizations emulator CloudTrail events", () => {
  const events: CloudTrailEvent[] = [];
  const org = createOrganizationsEmulator({
    rootId: "r-ab12",
    managementAccount: { id: "123456789012", name: "management", email: "mgmt@example.com" },
    onCloudTrailEvent: (event) => events.push(event),
  });
  let client: OrganizationsClient;
  let close: () => Promise<void>;
  let accountId: string;
  let prodOu: string;

  beforeAll(async () => {
    const server = await startAwsJsonServer([org.service]);
    close = server.close;
    client = new OrganizationsClient(localClientConfig(server.endpoint));
    const ou = await client.send(new CreateOrganizationalUnitCommand({ ParentId: "r-ab12", Name: "Prod" }));
    prodOu = String(ou.OrganizationalUnit?.Id);
    events.length = 0;
  });
  afterAll(async () => {
    client.destroy();
    await close();
  });

  it("CreateAccount gives its API call event and the CreateAccountResult of the new account, masked", async () => {
    // Act
    const created = await client.send(
      new CreateAccountCommand({
        AccountName: "payments-prod",
        Email: "pay@example.com",
        Tags: [{ Key: "env", Value: "prod" }],
      }),
    );
    accountId = String((await createdAccount(client, created.CreateAccountStatus?.Id)).AccountId);
    // Assess: the call's event at once, the CreateAccountResult when the account exists
    const [call, result] = events.splice(0);
    expect(call?.detail).toMatchObject({
      eventName: "CreateAccount",
      requestParameters: { email: "****", accountName: "****", tags: [{ key: "env", value: "prod" }] },
    });
    expect(triggered(call)).toEqual([]);
    expect(shapeOf(result)).toEqual(shapeOf(fixture("organizations-create-account-result")));
    const cloudTrailTime = /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/;
    expect(result?.detail).toMatchObject({
      serviceEventDetails: {
        createAccountStatus: {
          state: "SUCCEEDED",
          accountId,
          accountName: "****",
          id: created.CreateAccountStatus?.Id,
          completedTimestamp: expect.stringMatching(cloudTrailTime),
        },
      },
    });
    expect(result?.account).toBe("123456789012");
    expect(triggered(result)).toEqual(["account-created"]);
  });

  it("MoveAccount, TagResource and UntagResource give events shaped like the documented ones", async () => {
    // Act
    await client.send(
      new MoveAccountCommand({ AccountId: accountId, SourceParentId: "r-ab12", DestinationParentId: prodOu }),
    );
    await client.send(
      new TagResourceCommand({ ResourceId: accountId, Tags: [{ Key: "team", Value: "payments" }] }),
    );
    await client.send(new UntagResourceCommand({ ResourceId: accountId, TagKeys: ["team"] }));
    await client.send(new ListAccountsCommand({}));
    // Assess
    const [move, tag, untag, ...rest] = events.splice(0);
    expect(rest).toEqual([]); // reads are not sent to EventBridge
    expect(shapeOf(move)).toEqual(shapeOf(fixture("organizations-move-account")));
    expect(move?.detail.requestParameters).toEqual({
      accountId,
      sourceParentId: "r-ab12",
      destinationParentId: prodOu,
    });
    expect(shapeOf(tag)).toEqual(shapeOf(fixture("organizations-tag-resource")));
    expect(tag?.detail.requestParameters).toEqual({
      resourceId: accountId,
      tags: [{ key: "team", value: "payments" }],
    });
    expect(shapeOf(untag)).toEqual(shapeOf(fixture("organizations-untag-resource")));
    expect(untag?.detail.requestParameters).toEqual({ resourceId: accountId, tagKeys: ["team"] });
    expect([move, tag, untag].map(triggered)).toEqual([
      ["account-moved"],
      ["account-tagged"],
      ["account-tagged"],
    ]);
  });

  it("a failed call carries its errorCode and starts nothing; tagging an OU starts nothing", async () => {
    // Act
    await expect(
      client.send(
        new MoveAccountCommand({
          AccountId: accountId,
          SourceParentId: "r-ab12",
          DestinationParentId: prodOu,
        }),
      ),
    ).rejects.toThrow();
    await client.send(new TagResourceCommand({ ResourceId: prodOu, Tags: [{ Key: "env", Value: "prod" }] }));
    // Assess
    const [failedMove, ouTag] = events.splice(0);
    expect(failedMove?.detail).toMatchObject({
      eventName: "MoveAccount",
      errorCode: "AccountNotFoundException",
    });
    expect(failedMove?.detail.errorMessage).toEqual(expect.any(String));
    expect(triggered(failedMove)).toEqual([]);
    expect(ouTag?.detail.requestParameters).toEqual({
      resourceId: prodOu,
      tags: [{ key: "env", value: "prod" }],
    });
    expect(triggered(ouTag)).toEqual([]);
  });

  it("builds no events without a listener", async () => {
    const quiet = createOrganizationsEmulator();
    expect(Object.keys(quiet.service.operations)).toContain("MoveAccount");
    expect(events).toEqual([]);
  });
});
