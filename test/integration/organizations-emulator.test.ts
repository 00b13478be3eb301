/**
 * The Organizations emulator's wire behaviour through the real `@aws-sdk/client-organizations`: the
 * structure calls, pagination, the SCP limits with the errors (and Reasons) AWS answers, tags, and the
 * throttle / fault switches. Raw fetch where the SDK would not send the request.
 */
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  DetachPolicyCommand,
  ListAccountsCommand,
  ListChildrenCommand,
  ListParentsCommand,
  ListPoliciesCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  ListTargetsForPolicyCommand,
  MoveAccountCommand,
  OrganizationsClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePolicyCommand,
} from "@aws-sdk/client-organizations";
import { afterEach, describe, expect, it } from "vitest";
import { localClientConfig, startAwsJsonServer } from "../../local/emulators/aws-json-server.ts";
import {
  createOrganizationsEmulator,
  FULL_AWS_ACCESS_ID,
  type OrganizationsEmulatorOptions,
  SeedError,
} from "../../local/emulators/organizations/index.ts";
import { createdAccount } from "../support/created-account.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(options: OrganizationsEmulatorOptions = {}, maxAttempts = 1) {
  const org = createOrganizationsEmulator(options);
  const server = await startAwsJsonServer([org.service]);
  const client = new OrganizationsClient({ ...localClientConfig(server.endpoint), maxAttempts });
  cleanups.push(async () => {
    client.destroy();
    await server.close();
  });
  const raw = async (operation: string, body: unknown) => {
    const response = await fetch(server.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": operation },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { org, client, raw };
}

/** The SDK error a call rejects with (fails the test when it resolves). */
async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; Reason?: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; Reason?: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error("expected the call to fail");
}

const scp = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const denyS3 = scp([{ Effect: "Deny", Action: "s3:*", Resource: "*" }]);
/** A valid SCP of exactly `length` characters (padding in the Sid). */
function scpOfLength(length: number, spaced = false): string {
  const base = scp([{ Sid: "", Effect: "Deny", Action: "s3:*", Resource: "*" }]);
  const text = base.replace('"Sid":""', `"Sid":"${"A".repeat(length - base.length)}"`);
  return spaced ? text.replace('"Sid":"AAAA', '"Sid":    "') : text;
}

describe("Organizations emulator: structure", () => {
  it("describes one organization whose root has FullAWSAccess attached", async () => {
    // Prepare
    const { org, client } = await start({ rootId: "r-ab12", organizationId: "o-abcdefghij" });
    // Act
    const { Organization } = await client.send(new DescribeOrganizationCommand({}));
    const { Roots } = await client.send(new ListRootsCommand({}));
    const { Policies } = await client.send(
      new ListPoliciesForTargetCommand({ TargetId: "r-ab12", Filter: "SERVICE_CONTROL_POLICY" }),
    );
    // Assess
    expect(Organization).toMatchObject({
      Id: "o-abcdefghij",
      FeatureSet: "ALL",
      MasterAccountId: "111111111111",
    });
    expect(Roots).toEqual([expect.objectContaining({ Id: "r-ab12", Name: "Root" })]);
    expect(Policies).toEqual([
      expect.objectContaining({ Id: FULL_AWS_ACCESS_ID, Name: "FullAWSAccess", AwsManaged: true }),
    ]);
    expect(org.rootId).toBe("r-ab12");
  });

  it("pages ListAccounts with MaxResults and NextToken, and refuses a foreign token", async () => {
    // Prepare
    const { org, client } = await start();
    for (let i = 0; i < 6; i++) org.seed.account({ name: `acct-${i}` });
    // Act
    const ids: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ListAccountsCommand({ MaxResults: 3, NextToken: token }));
      ids.push(...(page.Accounts ?? []).map((a) => a.Id as string));
      token = page.NextToken;
      pages++;
    } while (token);
    const { NextToken } = await client.send(new ListAccountsCommand({ MaxResults: 2 }));
    const foreign = await failure(client.send(new ListRootsCommand({ NextToken })));
    const tooMany = await failure(client.send(new ListAccountsCommand({ MaxResults: 21 })));
    // Assess
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(7); // the management account and the six
    expect([foreign.name, foreign.Reason]).toEqual(["InvalidInputException", "INVALID_NEXT_TOKEN"]);
    expect([tooMany.name, tooMany.Reason]).toEqual(["InvalidInputException", "MAX_VALUE_EXCEEDED"]);
  });

  it("returns at most the configured page size whatever MaxResults asks", async () => {
    // Prepare
    const { org, client } = await start({ limits: { pageSize: 2 } });
    for (let i = 0; i < 4; i++) org.seed.account({ name: `acct-${i}` });
    // Act
    const page = await client.send(new ListAccountsCommand({ MaxResults: 20 }));
    // Assess
    expect(page.Accounts).toHaveLength(2);
    expect(page.NextToken).toBeDefined();
  });

  it("moves an account between OUs and lists parents and children", async () => {
    // Prepare
    const { org, client } = await start();
    const prod = org.seed.organizationalUnit({ name: "Prod" });
    const accountId = org.seed.account({ name: "app" });
    // Act
    await client.send(
      new MoveAccountCommand({ AccountId: accountId, SourceParentId: org.rootId, DestinationParentId: prod }),
    );
    const { Parents } = await client.send(new ListParentsCommand({ ChildId: accountId }));
    const { Children } = await client.send(
      new ListChildrenCommand({ ParentId: org.rootId, ChildType: "ORGANIZATIONAL_UNIT" }),
    );
    const again = await failure(
      client.send(
        new MoveAccountCommand({ AccountId: accountId, SourceParentId: prod, DestinationParentId: prod }),
      ),
    );
    const nowhere = await failure(
      client.send(
        new MoveAccountCommand({
          AccountId: accountId,
          SourceParentId: prod,
          DestinationParentId: "ou-ab12-missing1",
        }),
      ),
    );
    // Assess
    expect(Parents).toEqual([{ Id: prod, Type: "ORGANIZATIONAL_UNIT" }]);
    expect(Children).toEqual([{ Id: prod, Type: "ORGANIZATIONAL_UNIT" }]);
    expect(again.name).toBe("DuplicateAccountException");
    expect(nowhere.name).toBe("DestinationParentNotFoundException");
  });

  it("creates an account asynchronously (IN_PROGRESS, then SUCCEEDED) under the root, with its tags", async () => {
    // Prepare
    const { org, client } = await start();
    // Act
    const { CreateAccountStatus } = await client.send(
      new CreateAccountCommand({
        Email: "new@example.com",
        AccountName: "new",
        Tags: [{ Key: "env", Value: "dev" }],
      }),
    );
    const status = await createdAccount(client, CreateAccountStatus?.Id);
    const { Tags } = await client.send(new ListTagsForResourceCommand({ ResourceId: status.AccountId }));
    // Assess
    expect(CreateAccountStatus).toMatchObject({ State: "IN_PROGRESS", AccountName: "new" });
    expect(CreateAccountStatus?.AccountId).toBeUndefined();
    expect(status).toMatchObject({ State: "SUCCEEDED", AccountName: "new" });
    expect(status.CompletedTimestamp).toBeInstanceOf(Date);
    expect(org.state.accounts.get(status.AccountId as string)?.parentId).toBe(org.rootId);
    expect(Tags).toEqual([{ Key: "env", Value: "dev" }]);
  });

  it("tags and untags resources, and answers TargetNotFoundException for an unknown one", async () => {
    // Prepare
    const { org, client } = await start();
    const accountId = org.seed.account({ name: "app", tags: { team: "core" } });
    // Act
    await client.send(
      new TagResourceCommand({ ResourceId: accountId, Tags: [{ Key: "env", Value: "prod" }] }),
    );
    await client.send(new UntagResourceCommand({ ResourceId: accountId, TagKeys: ["team"] }));
    const { Tags } = await client.send(new ListTagsForResourceCommand({ ResourceId: accountId }));
    const unknown = await failure(
      client.send(new ListTagsForResourceCommand({ ResourceId: "999999999999" })),
    );
    // Assess
    expect(Tags).toEqual([{ Key: "env", Value: "prod" }]);
    expect(unknown.name).toBe("TargetNotFoundException");
  });

  it("refuses to seed an organization with another root", () => {
    // Prepare
    const org = createOrganizationsEmulator({ rootId: "r-aaaa" });
    // Act / Assess
    expect(() => org.seed.organization({ rootId: "r-bbbb", units: [], accounts: [] })).toThrow(SeedError);
  });

  it("answers UnknownOperationException for an operation it does not know", async () => {
    // Prepare
    const { raw } = await start();
    // Act
    const answer = await raw("AWSOrganizationsV20161128.InviteAccountToOrganization", {});
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe("UnknownOperationException");
  });
});

describe("Organizations emulator: service control policies", () => {
  it("accepts an SCP of exactly 5,120 characters and refuses one more, whitespace counted", async () => {
    // Prepare
    const { client } = await start();
    // Act
    await client.send(
      new CreatePolicyCommand({
        Name: "max",
        Description: "",
        Type: "SERVICE_CONTROL_POLICY",
        Content: scpOfLength(5120),
      }),
    );
    const over = await failure(
      client.send(
        new CreatePolicyCommand({
          Name: "over",
          Description: "",
          Type: "SERVICE_CONTROL_POLICY",
          Content: scpOfLength(5121),
        }),
      ),
    );
    const spaced = await failure(
      client.send(
        new CreatePolicyCommand({
          Name: "spaced",
          Description: "",
          Type: "SERVICE_CONTROL_POLICY",
          Content: `${scpOfLength(5120)} `,
        }),
      ),
    );
    // Assess
    expect([over.name, over.Reason, over.$metadata.httpStatusCode]).toEqual([
      "ConstraintViolationException",
      "POLICY_CONTENT_LIMIT_EXCEEDED",
      409,
    ]);
    expect(spaced.Reason).toBe("POLICY_CONTENT_LIMIT_EXCEEDED");
  });

  it("applies the content limit to UpdatePolicy too, and a changed limit at once", async () => {
    // Prepare
    const { org, client } = await start();
    const { Policy } = await client.send(
      new CreatePolicyCommand({
        Name: "p",
        Description: "",
        Type: "SERVICE_CONTROL_POLICY",
        Content: denyS3,
      }),
    );
    // Act
    const over = await failure(
      client.send(
        new UpdatePolicyCommand({ PolicyId: Policy?.PolicySummary?.Id, Content: scpOfLength(5121) }),
      ),
    );
    org.limits.maxPolicyChars = 10_240;
    await client.send(
      new UpdatePolicyCommand({ PolicyId: Policy?.PolicySummary?.Id, Content: scpOfLength(5121) }),
    );
    const stored = await client.send(new DescribePolicyCommand({ PolicyId: Policy?.PolicySummary?.Id }));
    // Assess
    expect(over.Reason).toBe("POLICY_CONTENT_LIMIT_EXCEEDED");
    expect(stored.Policy?.Content).toBe(scpOfLength(5121));
  });

  it("refuses malformed SCPs, duplicate names and other policy types", async () => {
    // Prepare
    const { client } = await start();
    const create = (Name: string, Content: string, Type = "SERVICE_CONTROL_POLICY") =>
      client.send(
        new CreatePolicyCommand({ Name, Description: "", Type: Type as "SERVICE_CONTROL_POLICY", Content }),
      );
    await create("taken", denyS3);
    // Act
    const principal = await failure(
      create("p1", scp([{ Effect: "Deny", Principal: "*", Action: "*", Resource: "*" }])),
    );
    const notJson = await failure(create("p2", "{"));
    const duplicate = await failure(create("taken", denyS3));
    const tagPolicy = await failure(create("p3", "{}", "TAG_POLICY"));
    // Assess
    expect(principal.name).toBe("MalformedPolicyDocumentException");
    expect(notJson.name).toBe("MalformedPolicyDocumentException");
    expect(duplicate.name).toBe("DuplicatePolicyException");
    expect([tagPolicy.name, tagPolicy.Reason]).toEqual(["InvalidInputException", "INVALID_ENUM"]);
  });

  it("attaches at most 5 SCPs to a target, FullAWSAccess included, and not the same one twice", async () => {
    // Prepare
    const { org, client } = await start();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { Policy } = await client.send(
        new CreatePolicyCommand({
          Name: `p${i}`,
          Description: "",
          Type: "SERVICE_CONTROL_POLICY",
          Content: denyS3,
        }),
      );
      ids.push(Policy?.PolicySummary?.Id as string);
    }
    // Act
    for (const id of ids.slice(0, 4))
      await client.send(new AttachPolicyCommand({ PolicyId: id, TargetId: org.rootId }));
    const fifth = await failure(
      client.send(new AttachPolicyCommand({ PolicyId: ids[4], TargetId: org.rootId })),
    );
    const twice = await failure(
      client.send(new AttachPolicyCommand({ PolicyId: ids[0], TargetId: org.rootId })),
    );
    const { Policies } = await client.send(
      new ListPoliciesForTargetCommand({ TargetId: org.rootId, Filter: "SERVICE_CONTROL_POLICY" }),
    );
    const { Targets } = await client.send(new ListTargetsForPolicyCommand({ PolicyId: ids[0] }));
    // Assess
    expect([fifth.name, fifth.Reason]).toEqual([
      "ConstraintViolationException",
      "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
    ]);
    expect(twice.name).toBe("DuplicatePolicyAttachmentException");
    expect(Policies).toHaveLength(5);
    expect(Targets).toEqual([expect.objectContaining({ TargetId: org.rootId, Type: "ROOT", Name: "Root" })]);
  });

  it("refuses to delete an attached policy, to detach a target's last SCP, and to change FullAWSAccess", async () => {
    // Prepare
    const { org, client } = await start();
    const accountId = org.seed.account({ name: "app" });
    const policyId = org.seed.policy({ name: "customer", content: denyS3, targetIds: [org.rootId] });
    // Act
    const inUse = await failure(client.send(new DeletePolicyCommand({ PolicyId: policyId })));
    const last = await failure(
      client.send(new DetachPolicyCommand({ PolicyId: FULL_AWS_ACCESS_ID, TargetId: accountId })),
    );
    const notAttached = await failure(
      client.send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: accountId })),
    );
    const managed = await failure(
      client.send(new UpdatePolicyCommand({ PolicyId: FULL_AWS_ACCESS_ID, Content: denyS3 })),
    );
    await client.send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: org.rootId }));
    await client.send(new DeletePolicyCommand({ PolicyId: policyId }));
    const gone = await failure(client.send(new DescribePolicyCommand({ PolicyId: policyId })));
    // Assess
    expect(inUse.name).toBe("PolicyInUseException");
    expect([last.name, last.Reason]).toEqual([
      "ConstraintViolationException",
      "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
    ]);
    expect(notAttached.name).toBe("PolicyNotAttachedException");
    expect(managed.name).toBe("AccessDeniedException");
    expect(gone.name).toBe("PolicyNotFoundException");
  });

  it("lists SCPs with ListPolicies and requires the Filter", async () => {
    // Prepare
    const { org, client, raw } = await start();
    org.seed.policy({ name: "customer", content: denyS3 });
    // Act
    const { Policies } = await client.send(new ListPoliciesCommand({ Filter: "SERVICE_CONTROL_POLICY" }));
    const noFilter = await raw("AWSOrganizationsV20161128.ListPolicies", {});
    // Assess
    expect(Policies?.map((p) => p.Name)).toEqual(["FullAWSAccess", "customer"]);
    expect(noFilter.body).toMatchObject({ __type: "InvalidInputException", Reason: "INPUT_REQUIRED" });
  });
});

describe("Organizations emulator: throttling, faults and call counts", () => {
  it("answers TooManyRequestsException (HTTP 429, the model's) when told to throttle, and the SDK retries it", async () => {
    // Prepare
    const { org, client } = await start({}, 1);
    const retrying = await start({}, 3);
    org.faults.throttleNext = 1;
    retrying.org.faults.throttleNext = 1;
    // Act
    const throttled = await failure(client.send(new ListRootsCommand({})));
    const retried = await retrying.client.send(new ListRootsCommand({}));
    // Assess
    expect([throttled.name, throttled.$metadata.httpStatusCode]).toEqual(["TooManyRequestsException", 429]);
    expect(retried.Roots).toHaveLength(1);
    expect(retrying.org.snapshot().throttled).toEqual({ ListRoots: 1 });
    expect(retrying.org.callCounts()).toEqual({ ListRoots: 2 });
  });

  it("throttles past its rate when one is set (token bucket on the injected clock)", async () => {
    // Prepare
    const clock = { t: 0 };
    const { org, client } = await start({ now: () => clock.t, limits: { tps: 2 } });
    // Act
    await client.send(new ListRootsCommand({}));
    await client.send(new ListRootsCommand({}));
    const third = await failure(client.send(new ListRootsCommand({})));
    clock.t += 1000;
    const later = await client.send(new ListRootsCommand({}));
    // Assess
    expect(third.name).toBe("TooManyRequestsException");
    expect(later.Roots).toHaveLength(1);
    expect(org.snapshot().throttled).toEqual({ ListRoots: 1 });
  });

  it("fails a scripted call and injects ServiceException at the configured rate", async () => {
    // Prepare
    const { org, client } = await start({
      faults: { failNext: [{ operation: "AttachPolicy", type: "ConcurrentModificationException" }] },
    });
    const policyId = org.seed.policy({ name: "customer", content: denyS3 });
    // Act
    const scripted = await failure(
      client.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: org.rootId })),
    );
    await client.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: org.rootId }));
    org.faults.serviceErrorRate = 1;
    const server = await failure(client.send(new ListRootsCommand({})));
    // Assess
    expect(scripted.name).toBe("ConcurrentModificationException");
    expect(org.state.policiesOn(org.rootId)).toContain(policyId);
    expect([server.name, server.$metadata.httpStatusCode]).toEqual(["ServiceException", 500]);
  });

  it("counts calls per operation until reset", async () => {
    // Prepare
    const { org, client } = await start();
    // Act
    await client.send(new ListRootsCommand({}));
    await client.send(new DescribeOrganizationCommand({}));
    await client.send(new ListRootsCommand({}));
    const counted = org.callCounts();
    org.resetCallCounts();
    // Assess
    expect(counted).toEqual({ ListRoots: 2, DescribeOrganization: 1 });
    expect(org.callCounts()).toEqual({});
  });
});
