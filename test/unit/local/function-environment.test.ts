import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { underFunctionName } from "../../../local/runtime/function-environment.ts";

const original = process.env.AWS_LAMBDA_FUNCTION_NAME;
afterEach(() => {
  if (original === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
  else process.env.AWS_LAMBDA_FUNCTION_NAME = original;
});

describe("local/runtime/function-environment: underFunctionName", () => {
  it("gives a Powertools persistence layer the function's own name as its key-prefix base, then restores the variable", () => {
    // Prepare
    process.env.AWS_LAMBDA_FUNCTION_NAME = "the-stack-itself";
    const client = new DynamoDBClient({ region: "us-east-1" });

    // Act
    const [hook, poller] = ["okta-hook", "okta-log-poll"].map((name) =>
      underFunctionName(name, () => new DynamoDBPersistenceLayer({ tableName: "t", awsSdkV3Client: client })),
    );

    // Assess: as in AWS, each layer prefixes keys with its own function's name
    expect(hook?.idempotencyKeyPrefix).toBe("okta-hook");
    expect(poller?.idempotencyKeyPrefix).toBe("okta-log-poll");
    expect(process.env.AWS_LAMBDA_FUNCTION_NAME).toBe("the-stack-itself");
  });

  it("refuses an asynchronous build (the name would be gone before it ran), leaving the variable unset", () => {
    // Prepare
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;

    // Act
    const build = () => underFunctionName("okta-hook", async () => "late");

    // Assess
    expect(build).toThrow(/okta-hook.*synchronously/);
    expect(process.env.AWS_LAMBDA_FUNCTION_NAME).toBeUndefined();
  });
});
