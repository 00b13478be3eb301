import { type AwsJsonService, AwsServiceError } from "./aws-json-protocol.ts";

/**
 * Just enough SSM Parameter Store (`GetParameter`) and Secrets Manager (`GetSecretValue`) for the
 * CLI's `--secret-from ssm:NAME` and `secretsmanager:ID` sources to run against the real SDK
 * clients in tests. Values are seeded; nothing is written.
 */
export function createSecretStoresEmulator(seed: {
  parameters?: Record<string, string>;
  secrets?: Record<string, string>;
}) {
  const parameters = new Map(Object.entries(seed.parameters ?? {}));
  const secrets = new Map(Object.entries(seed.secrets ?? {}));
  const ssm: AwsJsonService = {
    targetPrefix: "AmazonSSM",
    operations: {
      GetParameter(input: { Name?: string; WithDecryption?: boolean }) {
        const value = parameters.get(input.Name ?? "");
        if (value === undefined)
          throw new AwsServiceError("ParameterNotFound", `Parameter ${input.Name} not found.`);
        return {
          Parameter: {
            Name: input.Name,
            Type: "SecureString",
            // Like SSM: a SecureString without WithDecryption comes back encrypted (opaque).
            Value: input.WithDecryption ? value : Buffer.from(value).toString("base64"),
            Version: 1,
            ARN: `arn:aws:ssm:us-east-1:000000000000:parameter/${(input.Name ?? "").replace(/^\//, "")}`,
          },
        };
      },
    },
  };
  const secretsManager: AwsJsonService = {
    targetPrefix: "secretsmanager",
    operations: {
      GetSecretValue(input: { SecretId?: string }) {
        const value = secrets.get(input.SecretId ?? "");
        if (value === undefined) {
          throw new AwsServiceError(
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret.",
          );
        }
        return {
          ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${input.SecretId}-AbCdEf`,
          Name: input.SecretId,
          SecretString: value,
          VersionId: "00000000-0000-0000-0000-000000000001",
          VersionStages: ["AWSCURRENT"],
        };
      },
    },
  };
  return { services: [ssm, secretsManager] };
}
