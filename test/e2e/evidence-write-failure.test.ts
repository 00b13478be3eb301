import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEvidencePeriod } from "../../adapters/evidence-reader.ts";
import { sha256Hex } from "../../core/evidence/hash-chain.ts";
import type { EvidenceDraft } from "../../core/evidence/record.ts";
import { verifyEvidence } from "../../core/evidence/verify-evidence.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { createDenyProver } from "../../local/runtime/deny-prover.ts";
import type { LocalStack } from "../../local/stack/local-stack.ts";
import { startTestStack } from "../support/test-stack.ts";

/*
 * The evidence bucket refuses every run record. The revocation must not wait for it or be undone by
 * it: the Deny and the removals happen before WriteEvidence. The write is retried by the workflow,
 * then the run FAILS with a named error (an alarm in AWS); nothing is lost, because the record's chain
 * claim (with its body) is in DynamoDB and a retry with the same writer key stores exactly it.
 */

const SECRET = randomHookSecret();
const LEAVER = "jane.doe@example.com";

describe("an evidence bucket that refuses writes", () => {
  let stack: LocalStack;
  let failing = true;
  const logged: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack(SECRET, {
      retryIntervalMs: 5,
      log: (line) => logged.push(line),
    });
    // The bucket is down for run records (a network partition, an expired role, a KMS outage...).
    stack.storage.s3.middlewareStack.add(
      (next, context) => async (args) => {
        const key = (args.input as { Key?: string }).Key ?? "";
        if (failing && context.commandName === "PutObjectCommand" && key.startsWith("v1/runs/")) {
          throw Object.assign(new Error("We encountered an internal error. Please try again."), {
            name: "InternalError",
            $metadata: { httpStatusCode: 500 },
          });
        }
        return next(args);
      },
      { step: "initialize", name: "evidenceBucketDown" },
    );
  });
  afterAll(() => stack.stop());

  it("fails the run loudly with a named error, keeps the Deny and the removals, and loses nothing", async () => {
    // Prepare
    const ic = () => stack.emulators.identityCenter.snapshot();
    const userId = ic().users.find((u) => u.userName === LEAVER)?.userId as string;
    const accountsBefore = new Set(
      ic()
        .assignments.filter((a) =>
          ic().memberships.some((m) => m.userId === userId && m.groupId === a.principalId),
        )
        .map((a) => a.accountId),
    );
    expect(accountsBefore.size).toBeGreaterThan(0);

    // Act: HR deactivates her
    const res = await fetch(`${stack.url}/api/v1/users/${LEAVER}/lifecycle/deactivate`, {
      method: "POST",
      headers: { authorization: `SSWS ${stack.emulators.okta.apiToken}`, accept: "application/json" },
    });
    await stack.settle();
    const deadline = Date.now() + 30_000;
    let run = stack.stepFunctions.executions()[0];
    while (run?.status !== "FAILED" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      run = stack.stepFunctions.executions()[0];
    }

    // Assess: the run failed visibly, with the error the workflow retried on
    expect(res.status).toBe(200);
    expect(run).toMatchObject({ status: "FAILED", error: "DependencyUnavailableError" });
    expect(run?.cause).toMatch(
      /^evidence record for user-.+\.run was not stored: We encountered an internal error/,
    );
    expect(
      logged.some((l) => l.includes(`user-reconcile ${run?.name}: FAILED (DependencyUnavailableError:`)),
    ).toBe(true);

    // the revocation stands: no membership left, and the Deny proven by policy evaluation
    expect(ic().memberships.filter((m) => m.userId === userId)).toEqual([]);
    const scps = (await stack.adapters.organizations.listRevocationScps()).map((s) => s.content);
    const prover = createDenyProver(stack.estate.organization.rootId);
    const member = [...accountsBefore].filter((a) => a !== stack.estate.organization.managementAccountId);
    for (const accountId of member) {
      expect(
        await prover.isDenied({ userId, accountId, permissionSetName: "DeveloperAccess", scps, inline: [] }),
      ).toBe(true);
    }

    // nothing is in the bucket, but the chain claim holds the whole record
    expect(await stack.adapters.evidence.list("v1/runs/")).toEqual([]);
    const table = stack.storage.doc;
    const tableName = stack.endpoints.dynamodb.tables.state;
    const writers = await table.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :w)",
        ExpressionAttributeValues: { ":pk": "chain", ":w": "writer#" },
      }),
    );
    expect(writers.Items).toHaveLength(1);
    const writerKey = String(writers.Items?.[0]?.sk).slice("writer#".length);
    const sequence = Number(writers.Items?.[0]?.sequence);
    const claim = (
      await table.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: "chain", sk: `record#${String(sequence).padStart(10, "0")}` },
        }),
      )
    ).Item;
    expect(claim).toMatchObject({
      key: expect.stringMatching(/^v1\/runs\//),
      hash: expect.any(String),
      writerKey,
    });
    expect(claim?.body).toBeDefined();

    // Act: the bucket is back; a retry with the same writer key (a redrive of WriteEvidence) writes
    failing = false;
    const unrelated: EvidenceDraft = {
      schemaVersion: 1,
      recordId: "not-what-gets-stored",
      runId: "retry",
      kind: "snapshot",
      createdAt: new Date().toISOString(),
      body: { rows: [] },
    };
    const stored = await stack.adapters.evidence.append(unrelated, writerKey);

    // Assess: exactly the record the chain claimed, verified with the signed manifest
    expect(stored).toEqual({ key: claim?.key, sequence, hash: claim?.hash });
    const text = await stack.adapters.evidence.get(stored.key);
    expect(sha256Hex(text)).toBe(claim?.hash);
    expect(JSON.parse(text)).toMatchObject({
      kind: "user-run",
      body: { subject: { login: LEAVER }, verification: { passed: true } },
    });
    const today = new Date().toISOString().slice(0, 10);
    const period = { from: today, to: today };
    const loaded = await loadEvidencePeriod(stack.adapters.evidence, period);
    const publicKeyPem = stack.endpoints.evidence.signing.publicKeyPem;
    expect(verifyEvidence({ period, ...loaded, publicKeysPem: [publicKeyPem] })).toMatchObject({
      ok: true,
      records: 1,
    });
  });
});
